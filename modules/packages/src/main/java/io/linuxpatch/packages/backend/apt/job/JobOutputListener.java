package io.linuxpatch.packages.backend.apt.job;

import io.linuxpatch.packages.job.JobLog;

import io.linuxpatch.process.OutputChannel;
import io.linuxpatch.packages.backend.JobOutput;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a running job's output line by line (from the runner's reader threads): apt's {@code APT::Status-Fd}
 * lines become progress (JOB-2) and are kept out of the logs; apt's lock-wait lines become a
 * message naming the holder (JOB-4); every other line goes to the {@link JobLog}.
 *
 * <p>Progress only ever grows: apt counts downloads ({@code dlstatus}) and then dpkg's work
 * ({@code pmstatus}) each from 0 to 100, so downloads fill the first {@value #DOWNLOAD_SHARE} % and dpkg the
 * rest, and a lower value than the last one sent is raised to it. Sends are throttled to one per
 * {@link #MIN_INTERVAL_NANOS} unless the message changes to a lock wait, which is always said at once.
 */
public final class JobOutputListener implements JobOutput {

  static final int DOWNLOAD_SHARE = 20;
  static final long MIN_INTERVAL_NANOS = 100_000_000L;

  /** apt 2.6 with DPkg::Lock::Timeout, found by experiment: "… It is held by process 4541 (python3)...". */
  private static final Pattern LOCK_WAIT =
      Pattern.compile("^Waiting for cache lock: .*held by process (\\d+)(?: \\(([^)]*)\\))?");

  private final JobLog log;
  private final Consumer<JsonObject> progressSink;
  private final LongSupplier nanoClock;
  private final List<String> statusErrors = new ArrayList<>();
  private int progress = -1;
  private long lastSent;
  private boolean sentAny;
  private String lockMessage;
  /** What the throttle held back: the newest progress and its text, sent by {@link #flush}. */
  private int sentProgress = -1;
  private String latestMessage;

  /**
   * @param progressSink receives {@code {"progress", "message"}}; called on a reader thread, must not block
   */
  public JobOutputListener(JobLog log, Consumer<JsonObject> progressSink) {
    this(log, progressSink, System::nanoTime);
  }

  JobOutputListener(JobLog log, Consumer<JsonObject> progressSink, LongSupplier nanoClock) {
    this.log = log;
    this.progressSink = progressSink;
    this.nanoClock = nanoClock;
  }

  @Override
  public synchronized void onLine(OutputChannel channel, String line) {
    // The job runs apt with its status fd on stderr (AptBackend.aptGet); a status line is one on either stream.
    if (isStatusLine(line)) {
      statusLine(line);
      return;
    }
    log.add(line);
    Matcher lock = LOCK_WAIT.matcher(line);
    if (lock.find()) {
      String holder = lock.group(2) == null ? "" : " (" + lock.group(2) + ")";
      String message = "waiting for the package manager lock held by process " + lock.group(1) + holder;
      if (!message.equals(lockMessage)) {
        lockMessage = message;
        send(Math.max(progress, 0), message, true);
      }
    }
  }

  /** The {@code pmerror} texts apt reported on the status fd (not in the logs, but used to classify). */
  public synchronized List<String> statusErrors() {
    return List.copyOf(statusErrors);
  }

  @Override
  public synchronized String reportedErrors() {
    return String.join("\n", statusErrors);
  }

  static boolean isStatusLine(String line) {
    return line.startsWith("pmstatus:") || line.startsWith("dlstatus:") || line.startsWith("pmerror:")
        || line.startsWith("pmconffile:") || line.startsWith("media-change:") || line.startsWith("pmhook:");
  }

  private void statusLine(String line) {
    // type:package-or-item:percent:text — the text may itself contain colons.
    String[] parts = line.split(":", 4);
    if (parts.length < 4) {
      return;
    }
    if (parts[0].equals("pmerror")) {
      statusErrors.add(parts[3]);
      return;
    }
    double percent;
    try {
      percent = Double.parseDouble(parts[2]);
    } catch (NumberFormatException e) {
      return;
    }
    percent = Math.max(0, Math.min(100, percent));
    int value = parts[0].equals("dlstatus")
        ? (int) (percent * DOWNLOAD_SHARE / 100)
        : parts[0].equals("pmstatus") ? DOWNLOAD_SHARE + (int) (percent * (100 - DOWNLOAD_SHARE) / 100) : progress;
    lockMessage = null;
    send(Math.max(value, progress), parts[3], false);
  }

  /**
   * Sends the newest progress if the throttle held it back: called when the child has ended, so that a fast
   * run does not end on its first message (a transaction of 100 ms is all inside one throttle interval).
   */
  @Override
  public synchronized void flush() {
    if (progress > sentProgress && latestMessage != null) {
      sentProgress = progress;
      lastSent = nanoClock.getAsLong();
      progressSink.accept(new JsonObject().put("progress", progress).put("message", latestMessage));
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
