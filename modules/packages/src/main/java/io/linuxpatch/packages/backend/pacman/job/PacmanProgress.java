package io.linuxpatch.packages.backend.pacman.job;

import io.linuxpatch.packages.job.JobLog;
import io.linuxpatch.process.OutputChannel;
import io.linuxpatch.process.OutputListener;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a running pacman job's output line by line (from the runner's reader threads) and turns it into progress
 * (JOB-2): every line goes to the {@link JobLog}, and the lines pacman prints when its output is not a terminal
 * (it then turns its progress bars off and prints one line per step, pacman 6.0 {@code callback.c}) move the
 * progress through the transaction's phases.
 *
 * <ul>
 *   <li>0–5: resolving dependencies, looking for conflicts (and the {@code Packages (N) …} line, which says how
 *       many packages the transaction touches);</li>
 *   <li>5–25: {@code :: Retrieving packages...}, then one {@code  NAME-VERSION-ARCH downloading...} per file;</li>
 *   <li>25–30: keyring, integrity, loading, file conflicts, disk space;</li>
 *   <li>30–95: {@code :: Processing package changes...}, then one {@code installing|upgrading|downgrading|
 *       reinstalling|removing NAME...} per package, out of N;</li>
 *   <li>95–100: {@code :: Running post-transaction hooks...}, then {@code (i/n) description}.</li>
 * </ul>
 *
 * <p>Progress only grows, and sends are throttled as apt's listener throttles them: at most one per
 * {@link #MIN_INTERVAL_NANOS}; {@link #flush} sends what the throttle held back once the child has ended. The
 * listener also remembers what the job must know afterwards: that pacman refused because the database was
 * locked (it never waits; the engine retries, see {@link PacmanLock}) and that a scriptlet failed (pacman still
 * exits 0).
 */
public final class PacmanProgress implements OutputListener {

  static final long MIN_INTERVAL_NANOS = 100_000_000L;

  private static final Pattern TARGETS = Pattern.compile("^Packages \\((\\d+)\\) ");
  private static final Pattern OPERATION =
      Pattern.compile("^(installing|upgrading|downgrading|reinstalling|removing) (\\S+)\\.\\.\\.$");
  private static final Pattern DOWNLOADING = Pattern.compile("^ (\\S+) downloading\\.\\.\\.$");
  private static final Pattern HOOK = Pattern.compile("^\\((\\s*\\d+)/(\\s*\\d+)\\) (.*)$");

  private final JobLog log;
  private final Consumer<JsonObject> progressSink;
  private final LongSupplier nanoClock;

  private int total = -1;
  private int downloads;
  private int operations;
  private boolean hooks;
  private boolean lockRefused;
  private boolean scriptletFailed;

  private int progress = -1;
  private int sentProgress = -1;
  private long lastSent;
  private boolean sentAny;
  private String latestMessage;
  private String sentMessage;

  /**
   * @param progressSink receives {@code {"progress", "message"}}; called on a reader thread, must not block
   */
  public PacmanProgress(JobLog log, Consumer<JsonObject> progressSink) {
    this(log, progressSink, System::nanoTime);
  }

  PacmanProgress(JobLog log, Consumer<JsonObject> progressSink, LongSupplier nanoClock) {
    this.log = log;
    this.progressSink = progressSink;
    this.nanoClock = nanoClock;
  }

  @Override
  public synchronized void onLine(OutputChannel channel, String line) {
    log.add(line);
    if (channel == OutputChannel.STDERR) {
      if (line.startsWith("error: could not lock database") || line.contains("(unable to lock database)")) {
        lockRefused = true;
      } else if (line.equals("error: command failed to execute correctly")) {
        scriptletFailed = true;
      }
      return;
    }
    phase(line);
  }

  /** Whether pacman refused to start because {@code db.lck} existed (it never waits for it). */
  public synchronized boolean lockRefused() {
    return lockRefused;
  }

  /** Whether an install scriptlet or hook failed; pacman exits 0 all the same. */
  public synchronized boolean scriptletFailed() {
    return scriptletFailed;
  }

  /** The progress sent or held back so far, -1 before the first step. */
  public synchronized int progress() {
    return progress;
  }

  /** Sends the newest progress if the throttle held it back; call it once the child has ended. */
  public synchronized void flush() {
    if (latestMessage != null && (progress > sentProgress || !latestMessage.equals(sentMessage))) {
      sentProgress = progress;
      sentMessage = latestMessage;
      lastSent = nanoClock.getAsLong();
      progressSink.accept(new JsonObject().put("progress", progress).put("message", latestMessage));
    }
  }

  private void phase(String line) {
    Matcher m;
    if (line.equals("resolving dependencies...") || line.equals("checking dependencies...")) {
      send(1, "resolving dependencies");
    } else if (line.equals("looking for conflicting packages...")) {
      send(3, "looking for conflicting packages");
    } else if ((m = TARGETS.matcher(line)).find()) {
      total = Integer.parseInt(m.group(1));
      send(5, "transaction of " + total + (total == 1 ? " package" : " packages"));
    } else if (line.equals(":: Retrieving packages...") || line.equals(":: Synchronizing package databases...")) {
      send(5, line.substring(3, line.length() - 3).toLowerCase(Locale.ROOT));
    } else if ((m = DOWNLOADING.matcher(line)).matches()) {
      downloads++;
      send(5 + share(downloads, 20), "downloading " + m.group(1));
    } else if (line.equals("checking keyring...")) {
      send(26, "checking keyring");
    } else if (line.equals("checking package integrity...")) {
      send(27, "checking package integrity");
    } else if (line.equals("loading package files...")) {
      send(28, "loading package files");
    } else if (line.equals("checking for file conflicts...")) {
      send(29, "checking for file conflicts");
    } else if (line.equals("checking available disk space...")) {
      send(30, "checking available disk space");
    } else if (line.equals(":: Processing package changes...")) {
      send(30, "processing package changes");
    } else if ((m = OPERATION.matcher(line)).matches()) {
      operations++;
      // an operation line is printed when the package starts: it is done when the next one starts
      send(30 + share(operations - 1, 65), m.group(1) + " " + m.group(2));
    } else if (line.equals(":: Running post-transaction hooks...") || line.equals(":: Running pre-transaction hooks...")) {
      hooks = true;
      send(operations > 0 ? 95 : 30, "running hooks");
    } else if (hooks && (m = HOOK.matcher(line)).matches()) {
      int position = Integer.parseInt(m.group(1).strip());
      int count = Math.max(1, Integer.parseInt(m.group(2).strip()));
      int base = operations > 0 ? 95 : 30;
      send(base + (position - 1) * (operations > 0 ? 5 : 0) / count, m.group(3));
    }
  }

  /** {@code done} of the transaction's packages as a share of {@code width} points (the total when known). */
  private int share(int done, int width) {
    int of = total > 0 ? total : Math.max(done + 1, 1);
    return Math.min(width, done * width / of);
  }

  private void send(int value, String message) {
    long now = nanoClock.getAsLong();
    boolean changed = value > progress || !message.equals(sentMessage);
    progress = Math.max(progress, value);
    latestMessage = message;
    // at most one send per interval; an unchanged value and text only once a second
    if (sentAny && (now - lastSent < MIN_INTERVAL_NANOS || !changed && now - lastSent < 10 * MIN_INTERVAL_NANOS)) {
      return;
    }
    sentAny = true;
    lastSent = now;
    sentProgress = progress;
    sentMessage = message;
    progressSink.accept(new JsonObject().put("progress", progress).put("message", message));
  }
}
