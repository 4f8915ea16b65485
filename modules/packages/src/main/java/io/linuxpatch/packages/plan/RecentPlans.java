package io.linuxpatch.packages.plan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The last few simulations by (state fingerprint, argv), least recently used evicted first. */
final class RecentPlans {

  private final Map<String, Plan> plans;

  RecentPlans(int capacity) {
    this.plans = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Plan> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The cached plan, or {@code simulate}'s, which is cached unless it throws. */
  synchronized Plan computeIfAbsent(String key, Function<String, Plan> simulate) {
    Plan plan = plans.get(key);
    if (plan == null) {
      plan = simulate.apply(key);
      plans.put(key, plan);
    }
    return plan;
  }
}
