package io.linuxpatch.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One run of a tool the packaging tests drive (dpkg, rpm, lintian, Maven, the installed launcher): its exit code and
 * its output, stdout and stderr together in the order written. A run that outlives its time is killed and fails.
 */
record ExternalCommand(int exitCode, String output) {

  static ExternalCommand run(List<String> argv, Duration timeout) throws Exception {
    return run(argv, Map.of(), timeout);
  }

  /** {@code argv} with {@code env} added to (or, with a null value, removed from) this JVM's environment. */
  static ExternalCommand run(List<String> argv, Map<String, String> env, Duration timeout) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    env.forEach((key, value) -> {
      if (value == null) {
        builder.environment().remove(key);
      } else {
        builder.environment().put(key, value);
      }
    });
    Process process = builder.start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return e.toString();
      }
    });
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError(argv + " did not end within " + timeout + "; it printed:\n" + output.getNow(""));
    }
    return new ExternalCommand(process.exitValue(), output.get());
  }

  /** Whether {@code tool} is an executable in one of the usual system directories. */
  static boolean available(String tool) {
    return List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin").stream().anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }

  /** Fails with the output when the run did not exit 0. */
  ExternalCommand succeeded() {
    if (exitCode != 0) {
      throw new AssertionError("exit code " + exitCode + ", output:\n" + output);
    }
    return this;
  }
}
