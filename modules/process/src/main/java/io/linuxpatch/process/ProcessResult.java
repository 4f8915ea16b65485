package io.linuxpatch.process;

import java.time.Duration;

/**
 * What a finished child run left behind.
 *
 * @param pid      the child's pid, which is also its process-group id
 * @param exitCode the child's exit status; {@code 128 + N} when a signal N ended it (as a shell reports it)
 * @param outcome  whether it exited on its own, timed out or was cancelled
 * @param killed   whether SIGKILL was needed because the group outlived the grace period after SIGTERM
 * @param duration from start to the end of the child
 * @param stdout   tail of standard output
 * @param stderr   tail of standard error
 */
public record ProcessResult(
    long pid,
    int exitCode,
    ProcessOutcome outcome,
    boolean killed,
    Duration duration,
    CapturedOutput stdout,
    CapturedOutput stderr) {

  /** Exited on its own with status 0. */
  public boolean succeeded() {
    return outcome == ProcessOutcome.EXITED && exitCode == 0;
  }

  public boolean timedOut() {
    return outcome == ProcessOutcome.TIMED_OUT;
  }

  public boolean cancelled() {
    return outcome == ProcessOutcome.CANCELLED;
  }

  /** Whether either tail lost earlier output to its bound. */
  public boolean truncated() {
    return stdout.truncated() || stderr.truncated();
  }
}
