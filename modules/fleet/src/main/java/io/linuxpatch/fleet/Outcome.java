package io.linuxpatch.fleet;

import java.util.Locale;

/** What happened on one host during a rollout ({@code apply} or {@code rollback}). */
public enum Outcome {
  /** The job completed. */
  COMPLETED,
  /** The job ran and failed (its JOB-3 error code says why); counts towards {@code --max-failures}. */
  FAILED,
  /** The agent refused the job (e.g. 403, 429, 503); counts towards {@code --max-failures}. */
  REFUSED,
  /** The host's state moved since its plan was reviewed (PLAN_STALE): skipped, not patched blindly. */
  STALE,
  /** The host did not answer; the others went on. */
  UNREACHABLE,
  /** The reviewed plan changes nothing on this host (or the run record holds no job to roll back). */
  NOTHING_TO_DO,
  /** Not started: the rollout stopped after {@code --max-failures}. */
  NOT_STARTED;

  /** Whether this outcome counts towards {@code --max-failures}. */
  public boolean failure() {
    return this == FAILED || this == REFUSED;
  }

  /** The lower-case name used in tables, JSON lines and run records. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Outcome ofLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
