package io.linuxpatch.process;

/**
 * The child could not be started at all (program missing or not executable, fork failed); no process
 * exists, so there is nothing to wait for or to kill.
 */
public class ProcessLaunchException extends RuntimeException {

  public ProcessLaunchException(String message, Throwable cause) {
    super(message, cause);
  }
}
