package io.linuxpatch.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process group as seen through {@code /proc}: which processes are still in it, and how to signal all of
 * them at once, including grandchildren that were reparented to init.
 */
public final class ProcessGroup {

  /** The two signals the runner ever sends. */
  public enum Signal {
    TERM, KILL
  }

  private static final Logger LOG = LoggerFactory.getLogger(ProcessGroup.class);
  private static final Path PROC = Path.of("/proc");

  private final long pgid;
  private final Path killProgram;

  /**
   * @param killProgram {@code kill} binary used for the atomic {@code kill(-pgid)}; null to signal member by
   *                    member instead
   */
  public ProcessGroup(long pgid, Path killProgram) {
    if (pgid <= 1) {
      // kill(-1) and kill(0) mean "everyone" and "my own group": never a child's group.
      throw new IllegalArgumentException("refusing to treat " + pgid + " as a child's process group");
    }
    this.pgid = pgid;
    this.killProgram = killProgram;
  }

  public long pgid() {
    return pgid;
  }

  /** Pids of the group's processes that are not zombies (a zombie is dead; reaping it is its parent's job). */
  public List<Long> livingMembers() {
    List<Long> members = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path entry : entries) {
        Optional<ProcStat> stat = ProcStat.read(entry.resolve("stat"));
        if (stat.isPresent() && stat.get().pgrp() == pgid && !stat.get().dead()) {
          members.add(stat.get().pid());
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list /proc to find the members of process group {}: {}", pgid, e.toString());
    }
    return members;
  }

  public boolean isEmpty() {
    return livingMembers().isEmpty();
  }

  /**
   * Sends {@code signal} to every process of the group. The {@code kill} binary does it with one
   * {@code kill(-pgid)} system call, which cannot miss a process forked meanwhile; without it (or if it
   * failed) each member found in {@code /proc} is signalled on its own.
   */
  public void signal(Signal signal) {
    if (killProgram != null && killGroup(signal)) {
      return;
    }
    for (long pid : livingMembers()) {
      ProcessHandle.of(pid).ifPresent(h -> {
        if (signal == Signal.KILL) {
          h.destroyForcibly();
        } else {
          h.destroy();
        }
      });
    }
  }

  private boolean killGroup(Signal signal) {
    ProcessBuilder pb = new ProcessBuilder(killProgram.toString(), "-s", signal.name(), "--", "-" + pgid)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().clear();
    pb.environment().putAll(ProcessSpec.FIXED_ENV);
    try {
      Process kill = pb.start();
      kill.getOutputStream().close();
      if (!kill.waitFor(5, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        return false;
      }
      // Non-zero also means "no such group" when everyone is already gone; the fallback then finds no one.
      return kill.exitValue() == 0;
    } catch (IOException e) {
      LOG.warn("cannot run {} to signal process group {}; signalling its members one by one: {}",
          killProgram, pgid, e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The fields of {@code /proc/PID/stat} the group needs. */
  record ProcStat(long pid, char state, long pgrp, long session) {

    boolean dead() {
      return state == 'Z' || state == 'X';
    }

    static Optional<ProcStat> read(Path statFile) {
      try {
        return parse(Files.readString(statFile, StandardCharsets.ISO_8859_1));
      } catch (IOException | RuntimeException gone) {
        // The process ended between listing and reading: it is not a member any more.
        return Optional.empty();
      }
    }

    /** {@code pid (comm) state ppid pgrp session ...}; comm may hold spaces and parentheses. */
    static Optional<ProcStat> parse(String line) {
      int open = line.indexOf('(');
      int close = line.lastIndexOf(')');
      if (open < 0 || close < open) {
        return Optional.empty();
      }
      String[] rest = line.substring(close + 2).trim().split(" ");
      if (rest.length < 4) {
        return Optional.empty();
      }
      return Optional.of(new ProcStat(Long.parseLong(line.substring(0, open).trim()), rest[0].charAt(0),
          Long.parseLong(rest[2]), Long.parseLong(rest[3])));
    }
  }
}
