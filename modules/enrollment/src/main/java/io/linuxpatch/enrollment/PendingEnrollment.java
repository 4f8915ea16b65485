package io.linuxpatch.enrollment;

import java.security.PrivateKey;
import java.time.Instant;

/**
 * An enrollment in progress, as {@link EnrollmentStore} keeps it across restarts: the manager, the key whose CSR
 * was sent, and — once the manager took the registration — the polling token.
 *
 * @param manager     the manager it was sent to
 * @param kind        {@code enroll} or {@code renew}
 * @param requestedAt when the key was made
 * @param key         the key of the CSR
 * @param token       the polling token, or null while the registration is unanswered
 */
public record PendingEnrollment(ManagerUrl manager, String kind, Instant requestedAt, PrivateKey key,
    PollingToken token) {

  public PendingEnrollment withToken(PollingToken newToken) {
    return new PendingEnrollment(manager, kind, requestedAt, key, newToken);
  }

  @Override
  public String toString() {
    return "PendingEnrollment[" + manager + ", " + kind + ", requested " + requestedAt + ", token "
        + (token == null ? "none" : "redacted") + "]";
  }
}
