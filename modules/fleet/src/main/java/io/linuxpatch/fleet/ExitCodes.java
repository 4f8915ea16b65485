package io.linuxpatch.fleet;

import java.util.List;

/**
 * The exit codes of {@code fleet} (OPR-1), from the most to the least serious when several apply: 5 the rollout
 * stopped after {@code --max-failures} and hosts were left untouched; 4 a host's job failed or was refused; 3 a host
 * was skipped — stale plan, not reachable —, nothing failed; 0 every host did what was asked (or had nothing to do).
 * 1 is an error of the command itself (unreadable file), 2 a usage error.
 */
public final class ExitCodes {

  public static final int OK = 0;
  public static final int ERROR = 1;
  public static final int USAGE = 2;
  public static final int SKIPPED = 3;
  public static final int FAILED = 4;
  public static final int STOPPED = 5;

  private ExitCodes() {
  }

  /** The exit code of a rollout. */
  public static int of(Rollout.Report report) {
    if (report.stopped()) {
      return STOPPED;
    }
    return of(report.results());
  }

  /** The exit code of a list of host results (no stop). */
  public static int of(List<HostResult> results) {
    if (results.stream().anyMatch(r -> r.outcome().failure())) {
      return FAILED;
    }
    if (results.stream().anyMatch(r -> r.outcome() == Outcome.STALE || r.outcome() == Outcome.UNREACHABLE
        || r.outcome() == Outcome.NOT_STARTED)) {
      return SKIPPED;
    }
    return OK;
  }
}
