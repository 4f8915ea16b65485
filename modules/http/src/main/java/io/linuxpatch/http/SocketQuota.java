package io.linuxpatch.http;

import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JOB-9: job event sockets open per client certificate, across every HTTP verticle of the agent (one instance
 * per Vert.x, kept in a local shared-data map like {@link RateLimiter}), so that one certificate cannot take
 * the sockets every verticle offers all clients together. A count is a few nanoseconds and never waits.
 */
final class SocketQuota implements Shareable {

  /** Sockets one client certificate may hold open at a time. */
  static final int PER_CLIENT = 10;

  private final int perClient;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  SocketQuota() {
    this(PER_CLIENT);
  }

  /** Tests shrink the quota. */
  SocketQuota(int perClient) {
    this.perClient = perClient;
  }

  int perClient() {
    return perClient;
  }

  /** Counts one more socket of {@code client} and returns true, or returns false when it holds its quota. */
  boolean acquire(String client) {
    boolean[] granted = {false};
    open.compute(client, (k, count) -> {
      int held = count == null ? 0 : count;
      if (held >= perClient) {
        return count;
      }
      granted[0] = true;
      return held + 1;
    });
    return granted[0];
  }

  /** One socket of {@code client} closed (or its upgrade failed). */
  void release(String client) {
    open.computeIfPresent(client, (k, count) -> count <= 1 ? null : count - 1);
  }

  /** Sockets {@code client} holds now. */
  int held(String client) {
    return open.getOrDefault(client, 0);
  }
}
