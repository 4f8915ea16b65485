package io.linuxpatch.process;

/**
 * Runs a child program with a fixed argv, a scrubbed environment, in its own session and process group,
 * with bounded output capture, a timeout and cancellation. Never through a shell.
 */
public interface ProcessRunner {

  /**
   * Starts the child and returns at once; the runner's own threads read its output and enforce the timeout.
   *
   * @throws ProcessLaunchException when the program does not exist, is not executable or cannot be forked
   */
  RunningProcess start(ProcessSpec spec);

  /** Starts the child and blocks until it has ended: call it from a worker thread, never an event loop. */
  default ProcessResult run(ProcessSpec spec) {
    return start(spec).await();
  }

  /** The runner for this host: {@code setsid} and {@code kill} from {@code /usr/bin} or {@code /bin}. */
  static ProcessRunner create() {
    return SessionProcessRunner.onThisHost();
  }
}
