package io.linuxpatch.packages.job;

import io.linuxpatch.process.ProcessGroup;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process group of the package-manager child running now, kept in the data directory
 * ({@code package-job.json}) for as long as it runs. The child runs in its own session, so an agent killed with
 * SIGKILL (or stopped with SIGTERM, which leaves it alone: OPS-2) leaves it running; at the next start the record
 * says which group belonged to the interrupted job, so that it is waited for or ended before the database is
 * checked (issue 17), and the job's log says which. The child's start time is kept with its pid, so a pid reused
 * by an unrelated process is never signalled.
 */
public final class RunningGroupRecord {

  private static final Logger LOG = LoggerFactory.getLogger(RunningGroupRecord.class);
  private static final String FILE = "package-job.json";
  private static final List<Path> KILL = List.of(Path.of("/bin/kill"), Path.of("/usr/bin/kill"));
  private static final long POLL_MS = 100;

  private final Path file;

  /** @param dataDir {@code data_dir}; null keeps no record (a test's verticle without one) */
  public RunningGroupRecord(Path dataDir) {
    this.file = dataDir == null ? null : dataDir.resolve(FILE);
  }

  /** Records the child that a job's step just started (blocking: one small synced write). */
  public void started(String jobId, long pid, List<String> argv) {
    if (file == null) {
      return;
    }
    Optional<Instant> start = ProcessHandle.of(pid).flatMap(h -> h.info().startInstant());
    JsonObject record = new JsonObject().put("job_id", jobId).put("pid", pid)
        .put("started_at", start.map(Instant::toString).orElse(null)).put("command", new JsonArray(argv));
    try {
      Files.createDirectories(file.getParent());
      Path temp = file.resolveSibling(FILE + ".new");
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        channel.write(ByteBuffer.wrap(record.encode().getBytes(StandardCharsets.UTF_8)));
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("cannot record the running package job's process group in {}: {} (a crash now would leave it "
          + "unnamed)", file, e.toString());
    }
  }

  /** The child has ended: nothing is left to find at the next start. */
  public void ended() {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("cannot remove {}: {}", file, e.toString());
    }
  }

  /**
   * At start-up, for the interrupted job {@code jobId}: when its child's group is still running, waits up to
   * {@code grace} for it to end by itself, then terminates it (SIGTERM, and SIGKILL after another {@code grace}).
   * Returns what happened, for the job's log; empty when there was nothing to do. Blocking.
   */
  public List<String> endLeftover(String jobId, Duration grace) {
    List<String> log = new ArrayList<>();
    if (file == null || !Files.isRegularFile(file)) {
      return log;
    }
    try {
      JsonObject record = new JsonObject(Files.readString(file));
      if (jobId != null && !jobId.equals(record.getString("job_id"))) {
        return log;
      }
      long pid = record.getLong("pid");
      String command = String.join(" ", record.getJsonArray("command", new JsonArray()).stream()
          .map(String::valueOf).limit(3).toList());
      if (!sameProcess(pid, record.getString("started_at"))) {
        log.add("the interrupted run's process group " + pid + " (" + command + ") had already ended");
        ended();
        return log;
      }
      ProcessGroup group = new ProcessGroup(pid, KILL.stream().filter(Files::isExecutable).findFirst().orElse(null));
      log.add("the interrupted run's process group " + pid + " (" + command + ") was still running after the "
          + "restart; waiting up to " + grace.toSeconds() + " s for it to end");
      if (!waitEmpty(group, grace)) {
        log.add("process group " + pid + " still running: sending SIGTERM");
        group.signal(ProcessGroup.Signal.TERM);
        if (!waitEmpty(group, grace)) {
          log.add("process group " + pid + " still running: sending SIGKILL");
          group.signal(ProcessGroup.Signal.KILL);
          waitEmpty(group, grace);
        }
      }
      log.add(group.isEmpty() ? "process group " + pid + " has ended" : "process group " + pid
          + " could not be ended: " + group.livingMembers());
      ended();
    } catch (IOException | RuntimeException e) {
      log.add("the record of the interrupted run's process group could not be read: " + e.getMessage());
    }
    return log;
  }

  private static boolean sameProcess(long pid, String startedAt) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    Optional<Instant> start = handle.get().info().startInstant();
    return startedAt == null || start.isEmpty() || start.get().toString().equals(startedAt);
  }

  private static boolean waitEmpty(ProcessGroup group, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!group.isEmpty()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
