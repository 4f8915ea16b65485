package io.linuxpatch.packages.backend.pacman.job;

import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks pacman's database after a run was interrupted (timeout, cancel, agent restart: JOB-5, JOB-7). pacman has no
 * half-configured state to finish: a SIGTERM or SIGKILL (the process runner's cancel) leaves the package it was
 * working on either recorded or not, and leaves {@code db.lck} behind with nobody holding it, which blocks every
 * later run. So the check removes that stale lock ({@link PacmanLock#removeIfStale}: never a lock a live process
 * holds) and then runs {@code pacman -Dk} (the local database's dependencies and conflicts; read only, no lock),
 * whose report goes into the job's logs. Blocking.
 */
public final class PacmanDatabaseCheck {

  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  /** The longest {@link #run} can take: removing a stale lock is a file operation, {@code pacman -Dk} has its timeout. */
  public static final Duration WORST_CASE = TIMEOUT;

  private final PacmanLock lock;
  private final List<String> pacman;
  private final Map<String, String> environment;
  private final ProcessRunner runner;

  /** @param pacman the pacman executable and the configured options */
  public PacmanDatabaseCheck(PacmanLock lock, List<String> pacman, Map<String, String> environment,
      ProcessRunner runner) {
    this.lock = lock;
    this.pacman = List.copyOf(pacman);
    this.environment = Map.copyOf(environment);
    this.runner = runner;
  }

  /** The argv of {@code pacman -Dk}: what a repair job runs after {@link #removeStaleLock}. */
  public List<String> consistencyCheck() {
    List<String> argv = new ArrayList<>(pacman);
    argv.add("-Dk");
    return argv;
  }

  /** Removes a lock no process holds; the log line says what was found. */
  public String removeStaleLock() {
    PacmanLock.State state = lock.inspect();
    if (!(state instanceof PacmanLock.Stale)) {
      return state instanceof PacmanLock.Held ? "database check: " + lock.describe(state) + " (left alone)"
          : "database check: the pacman database lock is free";
    }
    try {
      return lock.removeIfStale()
          ? "database check: removed the stale pacman lock " + lock.lockFile() + " (no process held it)"
          : "database check: the pacman database lock is free";
    } catch (IOException e) {
      return "database check: cannot remove the stale pacman lock " + lock.lockFile() + ": " + e.getMessage();
    }
  }

  /** {@code {"interrupted", "repaired", "logs"}} as {@code PACKAGES_CHECK_DATABASE} answers. */
  public JsonObject run() {
    List<String> logs = new ArrayList<>();
    boolean stale = lock.inspect() instanceof PacmanLock.Stale;
    logs.add(removeStaleLock());
    ProcessResult check = runner.run(ProcessSpec.of(consistencyCheck()).withExtraEnv(environment).withTimeout(TIMEOUT));
    check.stdout().lines().forEach(line -> logs.add("pacman -Dk: " + line));
    check.stderr().lines().forEach(line -> logs.add("pacman -Dk: " + line));
    boolean consistent = check.succeeded();
    boolean lockFree = lock.inspect() instanceof PacmanLock.Free;
    logs.add(consistent ? "database check: pacman -Dk finds the local database consistent"
        : "database check: pacman -Dk exited " + check.exitCode() + "; the local database needs attention");
    return new JsonObject()
        .put("interrupted", stale || !consistent)
        .put("repaired", stale && lockFree && consistent)
        .put("logs", new JsonArray(logs));
  }
}
