package io.linuxpatch.process;

/** How a child's run ended from the runner's point of view. */
public enum ProcessOutcome {
  /** The child ended on its own; its exit code is its verdict. */
  EXITED,
  /** The spec's timeout expired and the runner terminated the child's process group. */
  TIMED_OUT,
  /** {@link RunningProcess#cancel()} was called and the runner terminated the child's process group. */
  CANCELLED
}
