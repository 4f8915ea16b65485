package io.linuxpatch.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * API-5: which job an {@code Idempotency-Key} produced, per client certificate (one client's key never
 * matches another's), for 24 hours. Rebuilt from the stored jobs at start-up, so a repeat after a restart
 * still finds its job.
 */
final class IdempotencyIndex {

  static final Duration LIFETIME = Duration.ofHours(24);

  private final Map<String, Job> byKey = new HashMap<>();

  /** The job of an earlier request with this key from this client, if it is younger than 24 h. */
  Job find(String client, String key, Instant now) {
    Job job = byKey.get(scoped(client, key));
    if (job != null && job.createdAt().plus(LIFETIME).isBefore(now)) {
      byKey.remove(scoped(client, key));
      return null;
    }
    return job;
  }

  void add(Job job) {
    if (job.idempotencyKey() != null) {
      byKey.merge(scoped(job.clientFingerprint(), job.idempotencyKey()), job,
          (old, newer) -> old.createdAt().isAfter(newer.createdAt()) ? old : newer);
    }
  }

  void remove(Job job) {
    if (job.idempotencyKey() != null) {
      byKey.remove(scoped(job.clientFingerprint(), job.idempotencyKey()), job);
    }
  }

  static String scoped(String client, String key) {
    return client + '\n' + key;
  }
}
