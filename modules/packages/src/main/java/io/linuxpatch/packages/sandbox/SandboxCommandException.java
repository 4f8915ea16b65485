package io.linuxpatch.packages.sandbox;

import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessSpec;
import java.util.List;

/**
 * A program the sandbox layer ran (dpkg-deb, apt-get, dpkg) did not succeed; the message carries the argv,
 * the exit status and the end of stderr so that whoever reads the failure can tell what to fix.
 */
public class SandboxCommandException extends RuntimeException {

  /** Enough of stderr for apt's "E:" lines without flooding a log. */
  private static final int STDERR_CHARS = 2000;

  private final transient List<String> argv;
  private final transient ProcessResult result;

  public SandboxCommandException(List<String> argv, ProcessResult result) {
    super(describe(argv, result));
    this.argv = List.copyOf(argv);
    this.result = result;
  }

  /** Returns {@code result} when it succeeded, otherwise throws for it. */
  public static ProcessResult requireSuccess(ProcessSpec spec, ProcessResult result) {
    if (!result.succeeded()) {
      throw new SandboxCommandException(spec.argv(), result);
    }
    return result;
  }

  public List<String> argv() {
    return argv;
  }

  public ProcessResult result() {
    return result;
  }

  private static String describe(List<String> argv, ProcessResult result) {
    String stderr = result.stderr().text().strip();
    if (stderr.length() > STDERR_CHARS) {
      stderr = "…" + stderr.substring(stderr.length() - STDERR_CHARS);
    }
    return String.join(" ", argv) + " ended " + result.outcome() + " with exit status " + result.exitCode()
        + (stderr.isEmpty() ? "" : ": " + stderr);
  }
}
