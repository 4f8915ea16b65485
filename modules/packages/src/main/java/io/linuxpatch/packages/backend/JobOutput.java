package io.linuxpatch.packages.backend;

import io.linuxpatch.process.OutputListener;
import java.util.OptionalLong;

/**
 * A backend's reader of a running job's output: turns its package manager's progress lines into JOB-2 progress
 * (never decreasing), says a lock wait at once with its holder (JOB-4), and logs the rest.
 */
public interface JobOutput extends OutputListener {

  /** Sends progress the throttle held back: called when the child has ended. */
  void flush();

  /** Error texts the package manager reported outside its normal output (apt's status fd), for classification. */
  String reportedErrors();

  /**
   * Since when ({@link System#nanoTime}) the package manager has been waiting for another program's lock, if it
   * is; the engine gives up after {@code jobs.lock_wait_seconds} for managers that would wait forever or not at
   * all. Empty when it is not waiting, or when the manager bounds its own wait (apt's DPkg::Lock::Timeout).
   */
  default OptionalLong lockWaitSince() {
    return OptionalLong.empty();
  }
}
