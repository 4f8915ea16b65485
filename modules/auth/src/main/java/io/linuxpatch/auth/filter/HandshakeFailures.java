package io.linuxpatch.auth.filter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Failed TLS handshakes of allowed peers (no client certificate, another CA, expired, revoked, TLS 1.2 when
 * only 1.3 is allowed), kept until the agent drains them into audit records (AUD-1 "authentication
 * failures"). Repeats of one peer and reason within an interval become one entry with a count, and at most
 * {@link #MAX_PER_INTERVAL} distinct entries are kept, so a peer hammering the port adds one record per
 * interval, not one per attempt, and cannot fill the disk.
 */
public final class HandshakeFailures {

  /** Distinct (peer, reason) entries per drain interval; the rest are only counted. */
  public static final int MAX_PER_INTERVAL = 20;

  /** Failed handshakes of one peer for one reason: how many, first and last time. */
  public record Failure(String peerIp, Instant time, String reason, long count, Instant last) {
  }

  /** What one interval saw. */
  public record Drained(List<Failure> failures, long notRecorded) {
    public boolean isEmpty() {
      return failures.isEmpty() && notRecorded == 0;
    }
  }

  // Guarded by "this": a map update on an event loop, microseconds, never I/O.
  private Map<String, Failure> failures = new LinkedHashMap<>();
  private long notRecorded;

  void add(String peerIp, String reason) {
    Instant now = Instant.now();
    String key = peerIp + '\n' + reason;
    synchronized (this) {
      Failure seen = failures.get(key);
      if (seen != null) {
        failures.put(key, new Failure(peerIp, seen.time(), reason, seen.count() + 1, now));
      } else if (failures.size() < MAX_PER_INTERVAL) {
        failures.put(key, new Failure(peerIp, now, reason, 1, now));
      } else {
        notRecorded++;
      }
    }
  }

  public Drained drain() {
    synchronized (this) {
      Drained drained = new Drained(List.copyOf(new ArrayList<>(failures.values())), notRecorded);
      failures = new LinkedHashMap<>();
      notRecorded = 0;
      return drained;
    }
  }
}
