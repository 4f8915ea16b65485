package io.linuxpatch.process;

import java.util.concurrent.CompletableFuture;

/**
 * A started child under supervision: its timeout is enforced by the runner whether or not anyone waits.
 */
public interface RunningProcess {

  /** The child's pid, equal to its process-group and session id. */
  long pid();

  /**
   * Asks the runner to terminate the child's whole process group (SIGTERM, SIGKILL after the grace period).
   * Returns at once and never blocks, so it may be called from an event loop; idempotent; no effect once the
   * child has exited.
   */
  void cancel();

  /**
   * Completes once the child has ended and been reaped and its output drained. Callbacks run on the
   * runner's supervisor thread: a Vert.x caller wraps it with {@code Future.fromCompletionStage(stage, context)}.
   */
  CompletableFuture<ProcessResult> result();

  /** Blocks until {@link #result()} completes; for worker threads only. */
  ProcessResult await();
}
