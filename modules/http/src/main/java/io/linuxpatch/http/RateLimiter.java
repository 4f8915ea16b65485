package io.linuxpatch.http;

import io.linuxpatch.contract.config.RateLimitConfig;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SEC-8 token buckets per client identity, one instance per Vert.x shared among all HTTP verticles (kept in
 * a local shared-data map), so that a client cannot multiply its budget by opening connections that land
 * on different event loops. Buckets are small CAS-free synchronized objects: a check is a few nanoseconds
 * and never waits on I/O.
 */
final class RateLimiter implements Shareable {

  /** The two budgets of SEC-8. */
  enum Kind { READ, MUTATION }

  /** The answer: allowed, or refused with how long to wait. */
  record Decision(boolean allowed, long retryAfterSeconds) {}

  /** Buckets of clients idle this long are full again and can be forgotten, which bounds memory. */
  private static final long IDLE_NANOS = 10L * 60 * 1_000_000_000L;
  private static final int PRUNE_ABOVE = 10_000;

  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private volatile RateLimitConfig config;

  RateLimiter(RateLimitConfig config) {
    this.config = config;
  }

  void reconfigure(RateLimitConfig newer) {
    config = newer;
    buckets.clear();
  }

  Decision take(String client, Kind kind) {
    RateLimitConfig c = config;
    if (!c.enabled()) {
      return new Decision(true, 0);
    }
    if (buckets.size() > PRUNE_ABOVE) {
      long now = System.nanoTime();
      buckets.values().removeIf(b -> now - b.lastNanos() > IDLE_NANOS);
    }
    int perMinute = kind == Kind.READ ? c.readsPerMinute() : c.mutationsPerMinute();
    int burst = kind == Kind.READ ? c.readsBurst() : c.mutationsBurst();
    return buckets.computeIfAbsent(kind.name() + ':' + client, k -> new Bucket(burst)).take(perMinute, burst);
  }

  /** One client's budget of one kind: refilled continuously at perMinute/60 tokens a second up to burst. */
  private static final class Bucket {
    private double tokens;
    private long lastNanos = System.nanoTime();

    Bucket(int burst) {
      this.tokens = burst;
    }

    synchronized long lastNanos() {
      return lastNanos;
    }

    synchronized Decision take(int perMinute, int burst) {
      long now = System.nanoTime();
      double perNano = perMinute / 60e9;
      tokens = Math.min(burst, tokens + (now - lastNanos) * perNano);
      lastNanos = now;
      if (tokens >= 1) {
        tokens -= 1;
        return new Decision(true, 0);
      }
      return new Decision(false, Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9)));
    }
  }
}
