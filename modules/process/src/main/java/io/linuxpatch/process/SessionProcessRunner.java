package io.linuxpatch.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ProcessRunner} that launches every child through {@code setsid}: the child is not a group
 * leader when the JVM forks it, so {@code setsid} makes it the leader of a new session and process group
 * and execs the program in place. Its pid is then its process-group id, and a group signal reaches every
 * process it spawns; an agent stopped with SIGTERM or Ctrl-C does not take a running apt with it (OPS-2).
 */
final class SessionProcessRunner implements ProcessRunner {

  private static final Logger LOG = LoggerFactory.getLogger(SessionProcessRunner.class);

  private final Path setsid;
  private final Path kill;

  SessionProcessRunner(Path setsid, Path kill) {
    this.setsid = setsid;
    this.kill = kill;
  }

  static SessionProcessRunner onThisHost() {
    Path setsid = firstExecutable("/usr/bin/setsid", "/bin/setsid");
    if (setsid == null) {
      throw new IllegalStateException("setsid not found in /usr/bin or /bin: install util-linux (or busybox) "
          + "so that child processes can run in their own process group");
    }
    Path kill = firstExecutable("/bin/kill", "/usr/bin/kill");
    if (kill == null) {
      LOG.warn("no kill binary in /bin or /usr/bin: process groups will be signalled member by member, "
          + "which can miss a process forked at that very moment; install procps");
    }
    return new SessionProcessRunner(setsid, kill);
  }

  @Override
  public RunningProcess start(ProcessSpec spec) {
    Path program = Path.of(spec.argv().get(0));
    // setsid would report a missing program only as its own exit status 127; say it precisely instead.
    if (!Files.isRegularFile(program) || !Files.isExecutable(program)) {
      throw new ProcessLaunchException(program + " does not exist or is not executable", null);
    }
    List<String> command = new ArrayList<>(spec.argv().size() + 1);
    command.add(setsid.toString());
    command.addAll(spec.argv());
    ProcessBuilder pb = new ProcessBuilder(command).directory(spec.workingDirectory().toFile());
    // Start from nothing: the agent's environment may hold secrets and a PATH nobody vetted.
    pb.environment().clear();
    pb.environment().putAll(spec.environment());
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new ProcessLaunchException("cannot start " + program + ": " + e.getMessage(), e);
    }
    return SupervisedProcess.supervise(process, spec, new ProcessGroup(process.pid(), kill));
  }

  private static Path firstExecutable(String... candidates) {
    for (String candidate : candidates) {
      Path path = Path.of(candidate);
      if (Files.isExecutable(path)) {
        return path;
      }
    }
    return null;
  }
}
