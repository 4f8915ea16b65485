package io.linuxpatch.packages.job;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.contract.jobs.JobOperation;
import io.linuxpatch.contract.jobs.JobOutcome;
import io.linuxpatch.contract.jobs.JobStatus;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.ForeignLockWait;
import io.linuxpatch.packages.backend.JobOutput;
import io.linuxpatch.packages.backend.PackageBackend;
import io.linuxpatch.packages.backend.Transaction;
import io.linuxpatch.packages.plan.Planner;
import io.linuxpatch.process.ProcessLaunchException;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import io.linuxpatch.process.RunningProcess;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job loop every backend shares (JOB-1 … JOB-8): executes one package job for the JobVerticle
 * ({@link Addresses#PACKAGES_EXECUTE}) step by step and cancels it on request ({@link Addresses#PACKAGES_CANCEL}).
 * Lives on PackageVerticle's worker context; what is particular to a package manager (its argv, output, failure
 * texts, database) comes from the {@link PackageBackend}.
 *
 * <p>The preparation (validation, the before-snapshot, the simulation) runs beside the context; the package
 * manager itself runs as a supervised child in its own process group whose end is brought back onto the context,
 * so the verticle keeps answering listings and plans during a long run. Timeout and cancel terminate the whole
 * group (SIGTERM, then SIGKILL), then the database is checked. A lock wait longer than {@code lock_wait_seconds}
 * ends the job with PKG_MANAGER_LOCKED, for managers that would otherwise wait forever (dnf) or not at all. The
 * reply always succeeds and carries the {@link JobOutcome}: {@code changes} read back from the database, bounded
 * {@code logs} and the {@code plan}.
 */
public final class JobExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(JobExecutor.class);
  private static final long DEFAULT_TIMEOUT_SECONDS = 30 * 60;
  private static final long DEFAULT_LOCK_WAIT_SECONDS = 300;
  /** How often a running job's lock wait is compared with its limit. */
  private static final long LOCK_CHECK_PERIOD_MS = 250;

  private final Vertx vertx;
  private final Context context;
  private final PackageBackend backend;
  private final Planner planner;
  private final ProcessRunner runner;
  private final Duration killGrace;
  private final RunningGroupRecord groupRecord;
  /** The job running now; only touched on {@link #context}. */
  private ActiveJob active;
  /** The job being prepared beside the context (its simulation may take seconds); only touched on the context. */
  private String preparing;
  /** A cancel of {@link #preparing}: the job then never starts. */
  private boolean cancelWhilePreparing;

  public JobExecutor(Vertx vertx, Context context, PackageBackend backend, Planner planner, ProcessRunner runner,
      Duration killGrace, RunningGroupRecord groupRecord) {
    this.vertx = vertx;
    this.context = context;
    this.backend = backend;
    this.planner = planner;
    this.runner = runner;
    this.killGrace = killGrace;
    this.groupRecord = groupRecord;
  }

  /** One running job: its steps, the child running now, and whether a cancel was asked for. */
  private static final class ActiveJob {
    final String jobId;
    final Message<JsonObject> message;
    final JobLog log = new JobLog();
    final List<List<String>> steps;
    final long deadlineNanos;
    final long lockWaitNanos;
    final PackageSnapshot before;
    final JsonObject plan;
    JobOutput output;
    RunningProcess running;
    int stepIndex;
    boolean cancelRequested;
    boolean lockWaitExceeded;
    long lockTimer = -1;
    /** Since when the engine has waited for a {@link ForeignLockWait}'s lock, -1 when it is not waiting. */
    long foreignWaitSince = -1;
    String foreignWaitMessage;

    ActiveJob(String jobId, Message<JsonObject> message, List<List<String>> steps, long timeoutSeconds,
        long lockWaitSeconds, PackageSnapshot before, JsonObject plan) {
      this.jobId = jobId;
      this.message = message;
      this.steps = steps;
      this.deadlineNanos = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
      this.lockWaitNanos = Duration.ofSeconds(lockWaitSeconds).toNanos();
      this.before = before;
      this.plan = plan;
    }
  }

  /** What the preparation decided: the commands to run, or the outcome when nothing is to run. */
  private record Prepared(PackageSnapshot before, List<List<String>> steps, JsonObject plan, JobOutcome earlyOutcome) {
  }

  /**
   * {@link Addresses#PACKAGES_EXECUTE}: replies when the job has ended. The preparation (the before-snapshot and
   * the simulation, seconds on a real-scale host) runs beside the context; the run itself is started from it.
   */
  public void execute(Message<JsonObject> message) {
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    String jobId = String.valueOf(body.getValue("job_id"));
    String busy = active != null ? active.jobId : preparing;
    if (busy != null) {
      // The JobVerticle runs one job at a time (JOB-4); a second one here would race for the lock.
      message.reply(JobOutcome.failed(JobError.PKG_MANAGER_LOCKED, "job " + busy
          + " is still running; one package job runs at a time"));
      return;
    }
    long timeout = positive(body.getValue("timeout_seconds"), DEFAULT_TIMEOUT_SECONDS);
    long lockWait = positive(body.getValue("lock_wait_seconds"), DEFAULT_LOCK_WAIT_SECONDS);
    preparing = jobId;
    vertx.executeBlocking(() -> prepare(body.getString("operation", ""),
            body.getJsonObject("params", new JsonObject()), lockWait), false)
        .onComplete(done -> {
          preparing = null;
          boolean cancelled = cancelWhilePreparing;
          cancelWhilePreparing = false;
          if (cancelled) {
            message.reply(new JobOutcome(JobStatus.CANCELLED, null, JobError.CANCELLED,
                "cancelled on request before it started", new JsonArray(), List.of(), null));
          } else if (done.failed()) {
            message.reply(preparationFailed(jobId, done.cause()));
          } else if (done.result().earlyOutcome() != null) {
            message.reply(done.result().earlyOutcome());
          } else {
            start(jobId, message, done.result(), timeout, lockWait);
          }
        });
  }

  private JobOutcome preparationFailed(String jobId, Throwable cause) {
    if (cause instanceof BackendRefusal refusal) {
      return refused(refusal);
    }
    if (cause instanceof ProcessLaunchException e) {
      return JobOutcome.failed(JobError.COMMAND_NOT_FOUND, e.getMessage());
    }
    LOG.error("preparing job {} failed unexpectedly", jobId, cause);
    return JobOutcome.failed(JobError.PKG_MANAGER_ERROR, "preparing the job failed: " + cause.getMessage());
  }

  private void start(String jobId, Message<JsonObject> message, Prepared prepared, long timeout, long lockWait) {
    active = new ActiveJob(jobId, message, prepared.steps(), timeout, lockWait, prepared.before(), prepared.plan());
    active.output = backend.output(active.log, progress ->
        vertx.eventBus().send(Addresses.JOBS_PROGRESS, progress.put("job_id", jobId)));
    if (prepared.plan() != null) {
      // JOB-7/8: the before-versions reach the job engine before anything changes, so that a crash during the
      // run still leaves a record from which the restart can read back what changed.
      vertx.eventBus().send(Addresses.JOBS_PROGRESS, new JsonObject().put("job_id", jobId).put("plan", prepared.plan()));
    }
    ActiveJob job = active;
    job.lockTimer = vertx.setPeriodic(LOCK_CHECK_PERIOD_MS, t -> checkLockWait(job));
    runStep(job, 0);
  }

  /** {@link Addresses#PACKAGES_CANCEL}: terminates the job's process group (JOB-6); never blocks. */
  public JsonObject cancel(JsonObject body) {
    String jobId = body == null ? null : body.getString("job_id");
    if (jobId != null && jobId.equals(preparing)) {
      cancelWhilePreparing = true;
      return new JsonObject().put("cancelled", true);
    }
    if (active == null || jobId == null || !active.jobId.equals(jobId)) {
      return new JsonObject().put("cancelled", false);
    }
    active.cancelRequested = true;
    if (active.running != null) {
      active.running.cancel();
    }
    return new JsonObject().put("cancelled", true);
  }

  /** Blocking: the before-snapshot and what to run (every simulation included). */
  private Prepared prepare(String operation, JsonObject params, long lockWait) throws Exception {
    JobOperation op = JobOperation.fromWire(operation).orElseThrow(() -> new BackendRefusal(
        ErrorCode.INVALID_REQUEST, "unknown operation \"" + operation + "\"", null));
    PackageSnapshot before = backend.snapshot();
    switch (op) {
      case INSTALL, UPDATE, REMOVE, PATCH_APPLY -> {
        JsonObject change = params.copy().put("operation", operation);
        Transaction transaction = planner.transaction(change);
        if (transaction.isEmpty() && op == JobOperation.PATCH_APPLY) {
          // Nothing selected to apply: a completed job with no changes, and no package manager run at all.
          return new Prepared(before, List.of(), null, new JobOutcome(JobStatus.COMPLETED, null, null, null,
              new JsonArray(), List.of("no patches to apply"), null));
        }
        // Simulated again (or reused from the submission's simulation): PLAN_STALE when the client's plan_id no
        // longer matches, and the before-versions of what it will touch.
        JsonObject plan = planner.planOf(transaction, change.getString("plan_id")).put("operation", operation);
        return new Prepared(before, backend.run(transaction, lockWait), plan, null);
      }
      case CACHE_REFRESH -> {
        return new Prepared(before, backend.refreshCache(lockWait), null, null);
      }
      case REPAIR -> {
        return new Prepared(before, backend.repair(lockWait), null, null);
      }
      case ROLLBACK -> {
        Transaction transaction = backend.rollback(params.getJsonArray("changes"));
        // Simulated first (JOB-8): the package manager refusing the inverse fails the job before anything is touched.
        JsonObject plan = backend.simulate(transaction).toJson().put("operation", operation);
        return new Prepared(before, backend.run(transaction, lockWait), plan, null);
      }
      default -> throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "operation " + operation
          + " is not a package job", null);
    }
  }

  /**
   * Starts step {@code index}; for a package manager that never waits for its lock ({@link
   * PackageBackend#foreignLock}), only once the lock is free.
   */
  private void runStep(ActiveJob job, int index) {
    Optional<ForeignLockWait> lock = backend.foreignLock();
    if (lock.isPresent()) {
      awaitForeignLock(job, index, lock.get());
    } else {
      launch(job, index);
    }
  }

  /**
   * JOB-4 for a package manager that refuses at once when its lock is taken: asks who holds it (beside the context,
   * it may scan /proc), says the holder in the job's message, looks again every {@link #LOCK_CHECK_PERIOD_MS} and
   * gives up with PKG_MANAGER_LOCKED after {@code lock_wait_seconds}. A cancel or the job's timeout ends the wait.
   */
  private void awaitForeignLock(ActiveJob job, int index, ForeignLockWait lock) {
    vertx.executeBlocking(lock::heldBy, false).onComplete(done -> {
      if (job.cancelRequested) {
        finish(job, null, JobError.CANCELLED, "cancelled on request while waiting for the package manager lock");
        return;
      }
      if (done.failed()) {
        // Not knowing who holds the lock is no reason to hold the job back: the package manager checks it itself.
        LOG.warn("job {}: the package manager lock could not be inspected: {}", job.jobId, done.cause().toString());
      }
      Optional<String> holder = done.succeeded() ? done.result() : Optional.empty();
      if (holder.isEmpty()) {
        launch(job, index);
        return;
      }
      long now = System.nanoTime();
      if (job.foreignWaitSince < 0) {
        job.foreignWaitSince = now;
      }
      if (!holder.get().equals(job.foreignWaitMessage)) {
        job.foreignWaitMessage = holder.get();
        job.log.add(holder.get());
        vertx.eventBus().send(Addresses.JOBS_PROGRESS,
            new JsonObject().put("job_id", job.jobId).put("message", holder.get()));
      }
      if (now - job.deadlineNanos > 0) {
        finish(job, null, JobError.TIMEOUT, "the job did not finish within its timeout while waiting for the "
            + "package manager lock");
      } else if (now - job.foreignWaitSince > job.lockWaitNanos) {
        job.lockWaitExceeded = true;
        job.log.add("the package manager lock was not free within the lock wait limit; giving up");
        finish(job, null, JobError.PKG_MANAGER_LOCKED, "another program held the package manager's lock longer "
            + "than the lock wait limit: " + holder.get());
      } else {
        vertx.setTimer(LOCK_CHECK_PERIOD_MS, t -> awaitForeignLock(job, index, lock));
      }
    });
  }

  /** Whether a step the package manager refused for its lock is tried again (the lock wait limit not reached). */
  private boolean retryAfterLockRefusal(ActiveJob job, ProcessResult result, JobError error) {
    if (error != JobError.PKG_MANAGER_LOCKED || backend.foreignLock().isEmpty() || job.cancelRequested
        || result.timedOut() || result.cancelled()) {
      return false;
    }
    long now = System.nanoTime();
    if (job.foreignWaitSince < 0) {
      job.foreignWaitSince = now;
    }
    if (now - job.foreignWaitSince > job.lockWaitNanos) {
      job.lockWaitExceeded = true;
      return false;
    }
    job.log.add("another program took the package manager lock just before this step started; waiting for it");
    return true;
  }

  private void launch(ActiveJob job, int index) {
    long remaining = job.deadlineNanos - System.nanoTime();
    ProcessSpec spec = ProcessSpec.of(job.steps.get(index))
        .withExtraEnv(backend.environment())
        .withTimeout(Duration.ofNanos(Math.max(remaining, Duration.ofSeconds(1).toNanos())))
        .withKillGrace(killGrace)
        .withListener(job.output);
    job.stepIndex = index;
    try {
      job.running = runner.start(spec);
    } catch (ProcessLaunchException e) {
      job.log.add(e.getMessage());
      finish(job, null, JobError.COMMAND_NOT_FOUND, e.getMessage());
      return;
    }
    groupRecord.started(job.jobId, job.running.pid(), job.steps.get(index));
    Future.fromCompletionStage(job.running.result(), context).onComplete(done -> {
      groupRecord.ended();
      job.output.flush();
      if (done.failed()) {
        finish(job, null, JobError.PKG_MANAGER_ERROR, "the process runner failed: " + done.cause().getMessage());
        return;
      }
      ProcessResult result = done.result();
      JobError error = result.timedOut() || result.cancelled() ? null : backend.classify(result, job.output);
      if (retryAfterLockRefusal(job, result, error)) {
        vertx.setTimer(LOCK_CHECK_PERIOD_MS, t -> runStep(job, index));
        return;
      }
      if (error == null && !result.timedOut() && !result.cancelled() && index + 1 < job.steps.size()
          && !job.cancelRequested) {
        runStep(job, index + 1);
      } else {
        // A cancel that arrives between two steps stops the job before the next: finish() sees cancelRequested
        // with a result that succeeded and reports it cancelled.
        finish(job, result, error, null);
      }
    });
  }

  /** Ends a job whose package manager has waited for another program's lock longer than allowed (JOB-4). */
  private void checkLockWait(ActiveJob job) {
    OptionalLong since = job.output.lockWaitSince();
    if (since.isPresent() && System.nanoTime() - since.getAsLong() > job.lockWaitNanos && !job.lockWaitExceeded) {
      job.lockWaitExceeded = true;
      job.log.add("the package manager lock was not free within the lock wait limit; giving up");
      if (job.running != null) {
        job.running.cancel();
      }
    }
  }

  /** Reads back the changes, checks the database after an interruption, replies and frees the slot. */
  private void finish(ActiveJob job, ProcessResult result, JobError stepError, String launchMessage) {
    vertx.cancelTimer(job.lockTimer);
    JobStatus status;
    JobError error = stepError;
    String errorText = launchMessage;
    Integer exitCode = result == null ? null : result.exitCode();
    boolean interrupted = result != null && (result.timedOut() || result.cancelled());
    if (result == null) {
      // ended before a child ran: a launch failure, or a wait for a foreign lock that was cancelled, timed out or
      // gave up
      status = error == JobError.CANCELLED ? JobStatus.CANCELLED
          : error == JobError.TIMEOUT ? JobStatus.TIMEOUT : JobStatus.FAILED;
    } else if (result.timedOut()) {
      status = JobStatus.TIMEOUT;
      error = JobError.TIMEOUT;
      errorText = "the job did not finish within its timeout; its process group was terminated";
    } else if (job.lockWaitExceeded) {
      status = JobStatus.FAILED;
      error = JobError.PKG_MANAGER_LOCKED;
      errorText = "another program held the package manager's lock longer than the lock wait limit";
    } else if (result.cancelled() || job.cancelRequested && (error != null || !lastStep(job, result))) {
      status = JobStatus.CANCELLED;
      error = JobError.CANCELLED;
      errorText = "cancelled on request; its process group was terminated";
    } else if (error == null) {
      // A cancel that came after the last step had already ended changes nothing: the job completed.
      status = JobStatus.COMPLETED;
    } else {
      status = JobStatus.FAILED;
      errorText = backend.firstError(result.stderr().text() + "\n" + result.stdout().text());
    }
    JsonArray changes = new JsonArray();
    try {
      if (interrupted) {
        // JOB-5/JOB-6: a terminated package manager may have left packages half done; repair before reading back.
        JsonObject check = backend.checkDatabase();
        check.getJsonArray("logs").forEach(l -> job.log.add(String.valueOf(l)));
      }
      changes = backend.snapshot().changesSince(job.before);
    } catch (Exception e) {
      LOG.error("reading back job {} failed", job.jobId, e);
      job.log.add("reading back the package database failed: " + e.getMessage());
    }
    active = null;
    job.message.reply(new JobOutcome(status, exitCode, error, errorText, changes, job.log.lines(), job.plan));
  }

  private static boolean lastStep(ActiveJob job, ProcessResult result) {
    return job.running != null && job.running.pid() == result.pid() && job.stepIndex == job.steps.size() - 1;
  }

  private JobOutcome refused(BackendRefusal refusal) {
    JobError error;
    try {
      error = JobError.valueOf(refusal.code().name());
    } catch (IllegalArgumentException e) {
      // A simulation the package manager refused is classified like a real run from the text it printed;
      // anything else (an invalid name) is the package manager's general error, with the refusal's text.
      String toolError = refusal.toolError();
      error = toolError == null ? JobError.PKG_MANAGER_ERROR
          : backend.classify(refusal.exitCode() == 0 ? 1 : refusal.exitCode(), toolError);
      if (error == null) {
        error = JobError.PKG_MANAGER_ERROR;
      }
    }
    return JobOutcome.failed(error, refusal.getMessage());
  }

  private static long positive(Object value, long fallback) {
    if (value instanceof Number n && n.longValue() > 0) {
      return n.longValue();
    }
    return fallback;
  }
}
