package io.linuxpatch.enrollment;

import java.time.Instant;

/** How one enrollment or renewal ended (ENR); the command line turns it into an exit code. */
public sealed interface EnrollmentOutcome {

  /**
   * The manager's certificate is installed.
   *
   * @param serial       the new certificate's serial (hex)
   * @param notAfter     its expiry
   * @param keySource    "agent" (the agent's own key, from the CSR) or "manager" (the original protocol)
   * @param allowList    what happened to the allow-list, one sentence
   */
  record Installed(String serial, Instant notAfter, String keySource, String allowList) implements EnrollmentOutcome {}

  /** The manager said no. */
  record Denied(String reason) implements EnrollmentOutcome {}

  /**
   * Anything else: nothing was installed.
   *
   * @param retryable whether the same enrollment may succeed later (a manager that was down, polls exhausted) or
   *                  needs a person (refused, untrusted manager, bad material)
   */
  record Failed(String reason, boolean retryable) implements EnrollmentOutcome {}
}
