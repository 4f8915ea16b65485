package io.linuxpatch.packages.backend.pacman.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * pacman's database lock, {@code DBPath/db.lck}, and how a job waits for it (JOB-4). pacman never waits: a
 * second transaction ends at once with "could not lock database: File exists" (exit 1). libalpm creates the file
 * with {@code O_CREAT|O_EXCL} and keeps it open until the transaction ends, so the holder is the process with an
 * open descriptor on it ({@code /proc/PID/fd/*}); a pacman that was killed with SIGTERM or SIGKILL (pacman only
 * handles SIGINT and SIGHUP) leaves the file behind with nobody holding it: a stale lock that never goes away by
 * itself. Read-only pacman runs ({@code -Q}, {@code -Qu}, {@code --print}) take no lock.
 *
 * <p>How the engine uses it: before starting a pacman job, {@link #awaitFree} (the job's message says who holds
 * the lock while it waits, up to {@code jobs.lock_wait_seconds}, then PKG_MANAGER_LOCKED); because another
 * program may take the lock between that check and pacman's start, a run that {@link PacmanFailure} classifies
 * as PKG_MANAGER_LOCKED is retried while the wait's deadline allows. After the engine itself killed its pacman
 * (timeout, cancel) or found a job interrupted by an agent crash, {@link #removeIfStale} clears the lock that
 * pacman left — only when no process holds it open.
 */
public final class PacmanLock {

  /** What the lock file says right now. */
  public sealed interface State permits Free, Held, Stale {
  }

  /** No lock file: a transaction may start. */
  public record Free() implements State {
  }

  /**
   * A running process holds the lock.
   *
   * @param command the holder's {@code /proc/PID/comm}, e.g. {@code pacman}
   */
  public record Held(long pid, String command) implements State {
  }

  /** The lock file exists and no process on this host holds it: left by a killed pacman. */
  public record Stale(Instant since) implements State {
  }

  private static final Path PROC = Path.of("/proc");

  private final Path lockFile;
  private final Path proc;

  /** The lock of the pacman database at {@code dbPath}. */
  public PacmanLock(Path dbPath) {
    this(dbPath.resolve("db.lck"), PROC);
  }

  PacmanLock(Path lockFile, Path proc) {
    this.lockFile = Objects.requireNonNull(lockFile, "lockFile").toAbsolutePath().normalize();
    this.proc = proc;
  }

  public Path lockFile() {
    return lockFile;
  }

  /**
   * Looks at the lock file and, when it exists, at every process's open descriptors. Blocking (a directory
   * listing per process while a lock exists; a single stat otherwise).
   */
  public State inspect() {
    Instant since;
    Path target;
    try {
      since = Files.getLastModifiedTime(lockFile).toInstant();
      // DBPath may be reached through a symbolic link; /proc shows the resolved path
      target = lockFile.toRealPath();
    } catch (NoSuchFileException e) {
      return new Free();
    } catch (IOException e) {
      return new Stale(Instant.EPOCH);
    }
    State holder = holderOf(target);
    if (holder != null) {
      return holder;
    }
    return Files.exists(lockFile) ? new Stale(since) : new Free();
  }

  /**
   * Waits until the lock is free or {@code timeout} has passed, polling every {@code interval}; {@code onWait}
   * hears each state that differs from the one before (for the job's message). Blocking: a worker thread's job.
   *
   * @return the last state seen: {@link Free} when the wait succeeded
   */
  public State awaitFree(Duration timeout, Duration interval, Consumer<State> onWait) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    State previous = null;
    while (true) {
      State state = inspect();
      if (state instanceof Free) {
        return state;
      }
      if (!state.equals(previous)) {
        onWait.accept(state);
        previous = state;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return state;
      }
      Thread.sleep(Math.max(1, Math.min(interval.toMillis(), left / 1_000_000)));
    }
  }

  /**
   * Removes the lock file when it is stale, checked again right before; never when a process holds it.
   *
   * @return whether a stale lock was removed
   */
  public boolean removeIfStale() throws IOException {
    if (!(inspect() instanceof Stale)) {
      return false;
    }
    return Files.deleteIfExists(lockFile);
  }

  /** The job's message for a state, naming the holder where /proc shows it. */
  public String describe(State state) {
    if (state instanceof Held held) {
      return "waiting for the pacman database lock " + lockFile + ", held by process " + held.pid() + " ("
          + held.command() + ")";
    }
    if (state instanceof Stale stale) {
      return "the pacman database lock " + lockFile + " exists since " + stale.since() + " but no process holds it"
          + " (left by a pacman that was killed); a repair job removes it";
    }
    return "the pacman database lock is free";
  }

  /** The process with an open descriptor on {@code target}, or null. */
  private Held holderOf(Path target) {
    String wanted = target.toString();
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc, PacmanLock::isPid)) {
      for (Path process : processes) {
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(process.resolve("fd"))) {
          for (Path descriptor : descriptors) {
            Path link;
            try {
              link = Files.readSymbolicLink(descriptor);
            } catch (IOException e) {
              continue; // closed meanwhile
            }
            if (link.toString().equals(wanted)) {
              return new Held(Long.parseLong(process.getFileName().toString()), command(process));
            }
          }
        } catch (IOException | SecurityException e) {
          // ended meanwhile, or not ours to look at (not root): not the holder we can name
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  private static String command(Path process) {
    try {
      return Files.readString(process.resolve("comm"), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static boolean isPid(Path entry) {
    String name = entry.getFileName().toString();
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
