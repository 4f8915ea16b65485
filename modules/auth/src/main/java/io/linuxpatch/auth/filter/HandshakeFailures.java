package io.linuxpatch.auth.filter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Failed TLS handshakes of allowed peers (no client certificate, another CA, expired, revoked, TLS 1.2 when
 * only 1.3 is allowed), kept until the agent drains them into audit records (AUD-1 "authentication
 * failures"). Bounded per interval so that a peer hammering the port cannot fill the disk: past the bound
 * only a count is kept, which the agent records as one summary.
 */
public final class HandshakeFailures {

  /** Individual failures recorded per drain interval; the rest are only counted. */
  public static final int MAX_PER_INTERVAL = 50;

  /** One failed handshake: who (by address), when and what the TLS engine said. */
  public record Failure(String peerIp, Instant time, String reason) {
  }

  /** What one interval saw. */
  public record Drained(List<Failure> failures, long notRecorded) {
    public boolean isEmpty() {
      return failures.isEmpty() && notRecorded == 0;
    }
  }

  // Guarded by "this": a list append on an event loop, microseconds, never I/O.
  private List<Failure> failures = new ArrayList<>();
  private long notRecorded;

  void add(String peerIp, String reason) {
    synchronized (this) {
      if (failures.size() < MAX_PER_INTERVAL) {
        failures.add(new Failure(peerIp, Instant.now(), reason));
      } else {
        notRecorded++;
      }
    }
  }

  public Drained drain() {
    synchronized (this) {
      Drained drained = new Drained(List.copyOf(failures), notRecorded);
      failures = new ArrayList<>();
      notRecorded = 0;
      return drained;
    }
  }
}
