package io.linuxpatch.tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Another program holding dpkg's front-end lock on a sandbox, as unattended-upgrades would: a python3 child
 * that takes the same POSIX record lock (fcntl) apt takes on {@code var/lib/dpkg/lock-frontend} and keeps it
 * until closed.
 */
final class LockHolder implements AutoCloseable {

  static final Path PYTHON = Path.of("/usr/bin/python3");
  private final Process process;

  private LockHolder(Process process) {
    this.process = process;
  }

  static boolean available() {
    return Files.isExecutable(PYTHON);
  }

  static LockHolder hold(Path root) throws IOException {
    Path lock = root.resolve("var/lib/dpkg/lock-frontend");
    Process process = new ProcessBuilder(PYTHON.toString(), "-c",
        "import fcntl,sys,time\n"
            + "f=open(sys.argv[1],'a')\n"
            + "fcntl.lockf(f,fcntl.LOCK_EX)\n"
            + "print('locked',flush=True)\n"
            + "sys.stdin.read()\n", lock.toString())
        .redirectErrorStream(true).start();
    String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
    if (!"locked".equals(line)) {
      process.destroyForcibly();
      throw new IOException("could not take the lock " + lock + ": " + line);
    }
    return new LockHolder(process);
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
