package io.linuxpatch.packages.backend.dnf.job;

import io.linuxpatch.packages.backend.JobOutput;
import io.linuxpatch.packages.job.JobLog;
import io.linuxpatch.process.OutputChannel;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a running dnf job's output line by line (on the runner's reader threads): every line goes to the
 * {@link JobLog}; dnf's non-terminal progress lines become the job's progress (JOB-2) and its lock wait a
 * message naming the holder (JOB-4).
 *
 * <p>What dnf 4.14 prints when stdout is not a terminal, and the share of 0–100 each part gets:
 * <ul>
 *   <li>downloads, one line per finished package: {@code (2/4): demo-app-2.0-1.noarch.rpm  1.1 MB/s | 6.1 kB 00:00}
 *       → 0–{@value #DOWNLOAD_SHARE} (a local {@code file://} repository downloads nothing);</li>
 *   <li>"Running transaction check/test", "Running transaction" → {@value #DOWNLOAD_SHARE};</li>
 *   <li>rpm's elements, one line when each is done, counted over the whole transaction:
 *       {@code   Installing       : demo-lib-2.0-1.noarch      1/4} (also Upgrading, Downgrading, Reinstalling,
 *       Erasing, Obsoleting, Cleanup, Running scriptlet) → {@value #DOWNLOAD_SHARE}–{@value #VERIFY_START};</li>
 *   <li>{@code   Verifying        : demo-lib-2.0-1.noarch      1/4} → {@value #VERIFY_START}–100;</li>
 *   <li>{@code Complete!} → 100.</li>
 * </ul>
 * Progress never decreases; sends are throttled like apt's (at most one per {@link #MIN_INTERVAL_NANOS}, and
 * an unchanged value at most once a second), except a lock wait, which is said at once.
 *
 * <p>The lock: a second dnf prints {@code Waiting for process with pid N to finish.} once and then waits
 * for ever (it polls the root's {@code var/lib/dnf/rpmdb_lock.pid} every second); dnf has no timeout of its
 * own. This listener names the holder from {@code /proc/N/comm} and exposes {@link #lockWait()} so that the
 * job engine can give up after {@code jobs.lock_wait_seconds} (cancel the job, report
 * {@code PKG_MANAGER_LOCKED}). The wait ends with the next line dnf prints on stdout. {@code --assumeno}
 * simulations never take the lock.
 */
public final class DnfProgress implements JobOutput {

  static final int DOWNLOAD_SHARE = 20;
  static final int VERIFY_START = 90;
  static final long MIN_INTERVAL_NANOS = 100_000_000L;

  private static final Pattern DOWNLOAD = Pattern.compile("^\\((\\d+)/(\\d+)\\): (\\S+)");
  private static final Pattern ELEMENT = Pattern.compile("^  (\\S[^:]*?)\\s*:\\s*(.*?)\\s*(\\d+)/(\\d+)\\s*$");
  private static final Pattern LOCK_WAIT = Pattern.compile("^Waiting for process with pid (\\d+) to finish\\.");

  /**
   * dnf is waiting for another process's rpm lock.
   *
   * @param pid        the holder's pid, from dnf's message
   * @param command    its {@code /proc/PID/comm}, {@code null} when it could not be read
   * @param sinceNanos when the wait was seen, on the listener's clock
   */
  public record LockWait(long pid, String command, long sinceNanos) {
  }

  private final JobLog log;
  private final Consumer<JsonObject> progressSink;
  private final LongSupplier nanoClock;
  private final Path procRoot;
  private int progress = -1;
  private int sentProgress = -1;
  private long lastSent;
  private boolean sentAny;
  private String latestMessage;
  private LockWait lockWait;

  /**
   * @param progressSink receives {@code {"progress", "message"}}; called on a reader thread, must not block
   */
  public DnfProgress(JobLog log, Consumer<JsonObject> progressSink) {
    this(log, progressSink, System::nanoTime, Path.of("/proc"));
  }

  DnfProgress(JobLog log, Consumer<JsonObject> progressSink, LongSupplier nanoClock, Path procRoot) {
    this.log = log;
    this.progressSink = progressSink;
    this.nanoClock = nanoClock;
    this.procRoot = procRoot;
  }

  @Override
  public synchronized void onLine(OutputChannel channel, String line) {
    log.add(line);
    Matcher lock = LOCK_WAIT.matcher(line);
    if (lock.find()) {
      long pid = Long.parseLong(lock.group(1));
      String command = command(pid);
      lockWait = new LockWait(pid, command, nanoClock.getAsLong());
      send(Math.max(progress, 0), "waiting for the package manager lock held by process " + pid
          + (command == null ? "" : " (" + command + ")"), true);
      return;
    }
    if (channel != OutputChannel.STDOUT) {
      return; // read by another thread: a stderr line may arrive after the wait line although printed before it
    }
    lockWait = null; // dnf printed something after the wait line on the same stream: it has the lock
    Matcher download = DOWNLOAD.matcher(line);
    if (download.find()) {
      int done = Integer.parseInt(download.group(1));
      int total = Integer.parseInt(download.group(2));
      if (total > 0) {
        send(share(0, DOWNLOAD_SHARE, done, total), "Downloading " + done + "/" + total + ": " + download.group(3), false);
      }
      return;
    }
    switch (line) {
      case "Running transaction check" -> send(DOWNLOAD_SHARE, "Checking the transaction", false);
      case "Running transaction test" -> send(DOWNLOAD_SHARE, "Testing the transaction", false);
      case "Running transaction" -> send(DOWNLOAD_SHARE, "Running the transaction", false);
      case "Complete!" -> send(100, "Complete", false);
      default -> element(line);
    }
  }

  /** The lock wait dnf is in right now, if any. */
  public synchronized Optional<LockWait> lockWait() {
    return Optional.ofNullable(lockWait);
  }

  /** The job engine's view of {@link #lockWait()}: since when (on {@link System#nanoTime}'s clock) dnf waits. */
  @Override
  public synchronized OptionalLong lockWaitSince() {
    return lockWait == null ? OptionalLong.empty() : OptionalLong.of(lockWait.sinceNanos());
  }

  /** dnf reports everything on stdout and stderr, which the engine classifies already. */
  @Override
  public String reportedErrors() {
    return "";
  }

  /** How long dnf has been waiting for the lock so far; zero when it is not waiting. */
  public synchronized Duration lockWaitedFor() {
    return lockWait == null ? Duration.ZERO : Duration.ofNanos(nanoClock.getAsLong() - lockWait.sinceNanos());
  }

  /** The progress so far (-1 before the first progress line). */
  public synchronized int progress() {
    return progress;
  }

  /**
   * Sends the newest progress if the throttle held it back: called when dnf has ended, so that a fast run does
   * not end on its first message.
   */
  @Override
  public synchronized void flush() {
    if (progress > sentProgress && latestMessage != null) {
      sentProgress = progress;
      lastSent = nanoClock.getAsLong();
      progressSink.accept(new JsonObject().put("progress", progress).put("message", latestMessage));
    }
  }

  private void element(String line) {
    Matcher m = ELEMENT.matcher(line);
    if (!m.matches()) {
      return;
    }
    String verb = m.group(1);
    int done = Integer.parseInt(m.group(3));
    int total = Integer.parseInt(m.group(4));
    if (verb.equals("Preparing") || total <= 0) {
      return; // its own 1/1 counter
    }
    String message = verb + " " + m.group(2);
    if (verb.equals("Verifying")) {
      send(share(VERIFY_START, 100, done, total), message, false);
    } else {
      send(share(DOWNLOAD_SHARE, VERIFY_START, done, total), message, false);
    }
  }

  private static int share(int from, int to, int done, int total) {
    return from + (int) ((long) (to - from) * Math.min(done, total) / total);
  }

  private String command(long pid) {
    try {
      return Files.readString(procRoot.resolve(Long.toString(pid)).resolve("comm"), StandardCharsets.UTF_8).strip();
    } catch (IOException | RuntimeException e) {
      return null; // gone already, or another pid namespace
    }
  }

  private void send(int value, String message, boolean always) {
    long now = nanoClock.getAsLong();
    boolean grew = value > progress;
    progress = Math.max(progress, value);
    latestMessage = message;
    if (!always && sentAny && (now - lastSent < MIN_INTERVAL_NANOS || !grew && now - lastSent < 10 * MIN_INTERVAL_NANOS)) {
      return;
    }
    sentAny = true;
    lastSent = now;
    sentProgress = progress;
    progressSink.accept(new JsonObject().put("progress", progress).put("message", message));
  }
}
