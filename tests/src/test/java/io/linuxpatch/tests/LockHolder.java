package io.linuxpatch.tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Another program holding a package manager's lock on a sandbox: {@link #hold} takes dpkg's front-end lock as
 * unattended-upgrades would (the POSIX record lock apt takes on {@code var/lib/dpkg/lock-frontend}); the dnf and
 * pacman fixtures give {@link #run} their own protocol. Kept until closed.
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
    return run("import fcntl,sys,time\n"
        + "f=open(sys.argv[1],'a')\n"
        + "fcntl.lockf(f,fcntl.LOCK_EX)\n"
        + "print('locked',flush=True)\n"
        + "sys.stdin.read()\n", root.resolve("var/lib/dpkg/lock-frontend"));
  }

  /**
   * A python3 child running {@code script} on {@code lock} (its {@code sys.argv[1]}): the script prints
   * {@code locked} once it holds the package manager's lock the way that package manager takes it, and lets go when
   * its standard input closes ({@link #close}). Anything else printed first is the reason it could not.
   */
  static LockHolder run(String script, Path lock) throws IOException {
    Process process = new ProcessBuilder(PYTHON.toString(), "-c", script, lock.toString())
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
