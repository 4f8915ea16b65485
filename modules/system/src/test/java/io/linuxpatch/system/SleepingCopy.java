package io.linuxpatch.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code sleep 60} started from a private copy of the sleep binary, so that a test can delete the
 * binary under the running process the way an upgrade replaces it. Close it to kill the process.
 */
final class SleepingCopy implements AutoCloseable {

  final Path binary;
  final Process process;

  private SleepingCopy(Path binary, Process process) {
    this.binary = binary;
    this.process = process;
  }

  /** Copies sleep to {@code binary} and starts it; returns once the kernel shows the copy as its executable. */
  static SleepingCopy start(Path binary) throws IOException, InterruptedException {
    Path original = List.of(Path.of("/usr/bin/sleep"), Path.of("/bin/sleep")).stream()
        .filter(Files::isExecutable).findFirst().orElseThrow(() -> new IOException("no sleep binary on this host"));
    Files.createDirectories(binary.getParent());
    Files.copy(original, binary, StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
    Process process = startRetryingBusy(binary);
    SleepingCopy copy = new SleepingCopy(binary, process);
    try {
      Path exe = Path.of("/proc", Long.toString(process.pid()), "exe");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!Files.readSymbolicLink(exe).equals(binary)) {
        if (System.nanoTime() > deadline) {
          throw new IOException("process " + process.pid() + " does not run " + binary);
        }
        Thread.sleep(20);
      }
      return copy;
    } catch (IOException | InterruptedException | RuntimeException e) {
      copy.close();
      throw e;
    }
  }

  /**
   * Another thread of this JVM forking while the copy was open for writing holds the file open in its child
   * for a moment, and exec then fails with "Text file busy": try again briefly.
   */
  private static Process startRetryingBusy(Path binary) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return new ProcessBuilder(binary.toString(), "60").redirectErrorStream(true).start();
      } catch (IOException e) {
        if (attempt == 5 || e.getMessage() == null || !e.getMessage().contains("busy")) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  long pid() {
    return process.pid();
  }

  /** Deletes the binary while the process keeps running it. */
  SleepingCopy deleteBinary() throws IOException {
    Files.delete(binary);
    return this;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(5, TimeUnit.SECONDS);
  }
}
