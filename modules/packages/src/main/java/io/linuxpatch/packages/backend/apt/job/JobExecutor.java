package io.linuxpatch.packages.backend.apt.job;

import io.linuxpatch.packages.job.JobLog;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.config.PackageManagerConfig;
import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.contract.jobs.JobOperation;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.apt.AptBackend;
import io.linuxpatch.packages.backend.apt.AptPlanner;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one package job for the JobVerticle ({@link Addresses#PACKAGES_EXECUTE}) and cancels it on request
 * ({@link Addresses#PACKAGES_CANCEL}). Lives on PackageVerticle's worker context.
 *
 * <p>Only the short preparation blocks the worker (validation, the before-snapshot, apt's simulation); the
 * package manager itself runs as a supervised child whose end is brought back onto the context, so the
 * verticle keeps answering listings and plans during a long run. The reply always succeeds and carries the
 * outcome, {@code changes} read back from dpkg's database, bounded {@code logs} and the {@code plan}.
 */
public final class JobExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(JobExecutor.class);
  static final String APT_GET = "/usr/bin/apt-get";
  private static final long DEFAULT_TIMEOUT_SECONDS = 30 * 60;
  private static final long DEFAULT_LOCK_WAIT_SECONDS = 300;

  private final Vertx vertx;
  private final Context context;
  private final AptBackend backend;
  private final AptPlanner planner;
  private final PackageManagerConfig config;
  private final ProcessRunner runner;
  private final Duration killGrace;
  private final DatabaseCheck databaseCheck;
  private final Path statusFile;
  /** The job running now; only touched on {@link #context}. */
  private ActiveJob active;

  public JobExecutor(Vertx vertx, Context context, AptBackend backend, AptPlanner planner,
      PackageManagerConfig config, ProcessRunner runner, Duration killGrace) {
    this.vertx = vertx;
    this.context = context;
    this.backend = backend;
    this.planner = planner;
    this.config = config;
    this.runner = runner;
    this.killGrace = killGrace;
    this.databaseCheck = new DatabaseCheck(config, runner);
    this.statusFile = Path.of(config.root()).resolve("var/lib/dpkg/status");
  }

  /** One running job: its steps, the child running now, and whether a cancel was asked for. */
  private static final class ActiveJob {
    final String jobId;
    final Message<JsonObject> message;
    final JobLog log = new JobLog();
    final List<List<String>> steps;
    final long deadlineNanos;
    final PackageSnapshot before;
    final JsonObject plan;
    JobOutputListener listener;
    RunningProcess running;
    int stepIndex;
    boolean cancelRequested;

    ActiveJob(String jobId, Message<JsonObject> message, List<List<String>> steps, long timeoutSeconds,
        PackageSnapshot before, JsonObject plan) {
      this.jobId = jobId;
      this.message = message;
      this.steps = steps;
      this.deadlineNanos = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
      this.before = before;
      this.plan = plan;
    }
  }

  /** What the preparation decided: the commands to run, or the outcome when nothing is to run. */
  private record Prepared(List<List<String>> steps, JsonObject plan, JsonObject earlyOutcome) {
  }

  /** {@link Addresses#PACKAGES_EXECUTE}: replies when the job has ended. */
  public void execute(Message<JsonObject> message) {
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    String jobId = String.valueOf(body.getValue("job_id"));
    if (active != null) {
      // The JobVerticle runs one job at a time (JOB-4); a second one here would race apt for the lock.
      message.reply(outcome("failed", null, JobError.PKG_MANAGER_LOCKED,
          "job " + active.jobId + " is still running; one package job runs at a time", new JsonArray(), List.of(), null));
      return;
    }
    long timeout = positive(body.getValue("timeout_seconds"), DEFAULT_TIMEOUT_SECONDS);
    long lockWait = positive(body.getValue("lock_wait_seconds"), DEFAULT_LOCK_WAIT_SECONDS);
    PackageSnapshot before;
    Prepared prepared;
    try {
      before = PackageSnapshot.read(statusFile);
      prepared = prepare(body.getString("operation", ""), body.getJsonObject("params", new JsonObject()), lockWait);
    } catch (BackendRefusal refusal) {
      message.reply(refused(refusal));
      return;
    } catch (ProcessLaunchException e) {
      message.reply(outcome("failed", null, JobError.COMMAND_NOT_FOUND, e.getMessage(), new JsonArray(), List.of(), null));
      return;
    } catch (Exception e) {
      LOG.error("preparing job {} failed unexpectedly", jobId, e);
      message.reply(outcome("failed", null, JobError.PKG_MANAGER_ERROR, "preparing the job failed: " + e.getMessage(),
          new JsonArray(), List.of(), null));
      return;
    }
    if (prepared.earlyOutcome() != null) {
      message.reply(prepared.earlyOutcome());
      return;
    }
    active = new ActiveJob(jobId, message, prepared.steps(), timeout, before, prepared.plan());
    active.listener = new JobOutputListener(active.log, progress ->
        vertx.eventBus().send(Addresses.JOBS_PROGRESS, progress.put("job_id", jobId)));
    if (prepared.plan() != null) {
      // JOB-7/8: the before-versions reach the job engine before anything changes, so that a crash during the
      // run still leaves a record from which the restart can read back what changed.
      vertx.eventBus().send(Addresses.JOBS_PROGRESS, new JsonObject().put("job_id", jobId).put("plan", prepared.plan()));
    }
    runStep(active, 0);
  }

  /** {@link Addresses#PACKAGES_CANCEL}: terminates the job's process group (JOB-6); never blocks. */
  public JsonObject cancel(JsonObject body) {
    String jobId = body == null ? null : body.getString("job_id");
    if (active == null || jobId == null || !active.jobId.equals(jobId)) {
      return new JsonObject().put("cancelled", false);
    }
    active.cancelRequested = true;
    if (active.running != null) {
      active.running.cancel();
    }
    return new JsonObject().put("cancelled", true);
  }

  private Prepared prepare(String operation, JsonObject params, long lockWait) throws Exception {
    JobOperation op = JobOperation.fromWire(operation).orElseThrow(() -> new BackendRefusal(
        io.linuxpatch.contract.ErrorCode.INVALID_REQUEST, "unknown operation \"" + operation + "\"", null));
    String lockTimeout = "DPkg::Lock::Timeout=" + lockWait;
    switch (op) {
      case INSTALL, UPDATE, REMOVE, PATCH_APPLY -> {
        JsonObject change = params.copy().put("operation", operation);
        List<String> args = planner.arguments(change);
        if (op == JobOperation.PATCH_APPLY && args.get(args.size() - 1).equals("--")) {
          // Nothing selected to apply: a completed job with no changes, and no apt-get run at all.
          return new Prepared(List.of(), null, outcome("completed", null, null, null, new JsonArray(),
              List.of("no patches to apply"), null));
        }
        // plan() recomputes the simulation and throws PLAN_STALE when the client's plan_id no longer matches.
        JsonObject plan = planner.plan(change);
        return new Prepared(List.of(aptGet(lockWait, args)), plan, null);
      }
      case CACHE_REFRESH -> {
        return new Prepared(List.of(List.of(APT_GET, "-q", "-o", lockTimeout, "update")), null, null);
      }
      case REPAIR -> {
        return new Prepared(List.of(DatabaseCheck.dpkg(config, "--configure", "-a"),
            aptGet(lockWait, List.of("-f", "install"))), null, null);
      }
      case ROLLBACK -> {
        List<String> args = new RollbackTransaction(backend, Path.of(config.root()))
            .arguments(params.getJsonArray("changes"));
        // Simulated first (JOB-8): apt refusing the inverse fails the job before anything is touched.
        JsonObject plan = backend.simulate(args).toJson().put("operation", operation);
        return new Prepared(List.of(aptGet(lockWait, args)), plan, null);
      }
      default -> throw new BackendRefusal(io.linuxpatch.contract.ErrorCode.INVALID_REQUEST,
          "operation " + operation + " is not a package job", null);
    }
  }

  /** The fixed options of every mutating apt-get run, then {@code args} (which end with {@code --} and names). */
  static List<String> aptGet(long lockWait, List<String> args) {
    List<String> argv = new ArrayList<>(List.of(APT_GET, "-y", "-q",
        "-o", "APT::Status-Fd=1",
        "-o", "DPkg::Lock::Timeout=" + lockWait,
        // Keep the local version of a changed conffile, never prompt (there is no terminal).
        "-o", "Dpkg::Options::=--force-confdef",
        "-o", "Dpkg::Options::=--force-confold",
        // The same phasing as the plans (see AptBackend.simulate): never install what apt still phases in.
        "-o", AptBackend.NO_FORCED_PHASED_UPDATES));
    argv.addAll(args);
    return argv;
  }

  private void runStep(ActiveJob job, int index) {
    long remaining = job.deadlineNanos - System.nanoTime();
    ProcessSpec spec = ProcessSpec.of(job.steps.get(index))
        .withExtraEnv(config.env())
        .withTimeout(Duration.ofNanos(Math.max(remaining, Duration.ofSeconds(1).toNanos())))
        .withKillGrace(killGrace)
        .withListener(job.listener);
    job.stepIndex = index;
    try {
      job.running = runner.start(spec);
    } catch (ProcessLaunchException e) {
      job.log.add(e.getMessage());
      finish(job, null, JobError.COMMAND_NOT_FOUND, e.getMessage());
      return;
    }
    Future.fromCompletionStage(job.running.result(), context).onComplete(done -> {
      job.listener.flush();
      if (done.failed()) {
        finish(job, null, JobError.PKG_MANAGER_ERROR, "the process runner failed: " + done.cause().getMessage());
      } else if (done.result().succeeded() && index + 1 < job.steps.size() && !job.cancelRequested) {
        runStep(job, index + 1);
      } else {
        finish(job, done.result(), null, null);
      }
      // A cancel that arrives between two steps stops the job before the next: finish() sees
      // cancelRequested with a result that succeeded and reports it cancelled.
    });
  }

  /** Reads back the changes, checks the database after an interruption, replies and frees the slot. */
  private void finish(ActiveJob job, ProcessResult result, JobError launchError, String launchMessage) {
    String status;
    JobError error = launchError;
    String errorText = launchMessage;
    Integer exitCode = result == null ? null : result.exitCode();
    if (result == null) {
      status = "failed";
    } else if (result.timedOut()) {
      status = "timeout";
      error = JobError.TIMEOUT;
      errorText = "the job did not finish within its timeout; its process group was terminated";
    } else if (result.cancelled() || job.cancelRequested && (!result.succeeded() || !lastStep(job, result))) {
      status = "cancelled";
      error = JobError.CANCELLED;
      errorText = "cancelled on request; its process group was terminated";
    } else if (result.succeeded()) {
      // A cancel that came after the last step had already ended changes nothing: the job completed.
      status = "completed";
    } else {
      status = "failed";
      String output = result.stdout().text() + "\n" + String.join("\n", job.listener.statusErrors()) + "\n"
          + result.stderr().text();
      error = JobFailureClassifier.classify(result.exitCode(), output);
      errorText = JobFailureClassifier.firstError(result.stderr().text() + "\n" + result.stdout().text());
    }
    JsonArray changes = new JsonArray();
    try {
      if (result != null && (result.timedOut() || result.cancelled())) {
        // JOB-5/JOB-6: a terminated dpkg may have left packages half done; repair before reading back.
        JsonObject check = databaseCheck.run();
        check.getJsonArray("logs").forEach(l -> job.log.add(String.valueOf(l)));
      }
      changes = PackageSnapshot.read(statusFile).changesSince(job.before);
    } catch (Exception e) {
      LOG.error("reading back job {} failed", job.jobId, e);
      job.log.add("reading back the package database failed: " + e.getMessage());
    }
    active = null;
    job.message.reply(outcome(status, exitCode, error, errorText, changes, job.log.lines(), job.plan));
  }

  private static boolean lastStep(ActiveJob job, ProcessResult result) {
    return job.running != null && job.running.pid() == result.pid() && job.stepIndex == job.steps.size() - 1;
  }

  private static JsonObject refused(BackendRefusal refusal) {
    JobError error;
    try {
      error = JobError.valueOf(refusal.code().name());
    } catch (IllegalArgumentException e) {
      // A simulation apt refused is classified like a real run; anything else (an invalid name) is the
      // package manager's general error, with the refusal's text.
      String aptError = refusal.details().getString("apt_error");
      error = aptError == null ? JobError.PKG_MANAGER_ERROR
          : JobFailureClassifier.classify(refusal.details().getInteger("exit_code", 100), "E: " + aptError);
    }
    return outcome("failed", null, error, refusal.getMessage(), new JsonArray(), List.of(), null);
  }

  static JsonObject outcome(String outcome, Integer exitCode, JobError error, String errorText, JsonArray changes,
      List<String> logs, JsonObject plan) {
    return new JsonObject()
        .put("outcome", outcome)
        .put("exit_code", exitCode)
        .put("error_code", error == null ? null : error.name())
        .put("error", error == null ? null : errorText)
        .put("changes", changes)
        .put("logs", new JsonArray(new ArrayList<>(logs)))
        .put("plan", plan);
  }

  private static long positive(Object value, long fallback) {
    if (value instanceof Number n && n.longValue() > 0) {
      return n.longValue();
    }
    return fallback;
  }
}
