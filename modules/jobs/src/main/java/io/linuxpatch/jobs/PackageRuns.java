package io.linuxpatch.jobs;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.contract.config.JobsConfig;
import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.contract.jobs.JobOutcome;
import io.linuxpatch.contract.jobs.JobStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution of package jobs (JOB-2, JOB-5, JOB-6): hands a started job to PackageVerticle
 * ({@code lpa.packages.execute}), relays its progress and its before-versions ({@code lpa.jobs.progress}), passes a
 * cancel on ({@code lpa.packages.cancel}), and applies the {@link JobOutcome} to the job. How long it waits for an
 * outcome beyond the job's timeout and lock wait is the backend's recovery budget, asked once at start.
 */
final class PackageRuns {

  private static final Logger LOG = LoggerFactory.getLogger(PackageRuns.class);
  /** How long the backend is given to say its recovery budget at start. */
  private static final long BUDGET_REQUEST_MS = 5_000;

  private final Vertx vertx;
  private final Clock clock;
  private final JobBook book;
  private final JobRecorder recorder;
  private final Supplier<JobsConfig> config;
  private final Consumer<Job> ended;
  /** The backend's recovery budget ({@code lpa.packages.recovery_budget}); a generous default until it answers. */
  private Duration recoveryBudget = Duration.ofMinutes(36);

  PackageRuns(Vertx vertx, Clock clock, JobBook book, JobRecorder recorder, Supplier<JobsConfig> config,
      Consumer<Job> ended) {
    this.vertx = vertx;
    this.clock = clock;
    this.book = book;
    this.recorder = recorder;
    this.config = config;
    this.ended = ended;
  }

  /**
   * Asks the package backend how long it may need to end an interrupted run and check and repair its database;
   * completes either way (without a backend the default stays: its jobs fail at once anyway).
   */
  Future<Void> askRecoveryBudget() {
    return vertx.eventBus().<JsonObject>request(Addresses.PACKAGES_RECOVERY_BUDGET, null,
            new DeliveryOptions().setSendTimeout(BUDGET_REQUEST_MS))
        .onSuccess(reply -> recoveryBudget = Duration.ofSeconds(reply.body().getLong("recovery_seconds",
            recoveryBudget.toSeconds())))
        .onFailure(e -> LOG.debug("the package backend named no recovery budget ({}); {} is used", e.getMessage(),
            recoveryBudget))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  /** How long the backend may take to end, check and repair after an interruption (also the restart check's bound). */
  Duration recoveryBudget() {
    return recoveryBudget;
  }

  /** Runs a job the scheduler started and stored as running. */
  void execute(Job job) {
    if (job.cancelRequested()) {
      // Cancelled while its running state was being stored: the backend has nothing to cancel yet, so the
      // job must not be sent at all (JOB-6).
      job.finish(JobStatus.CANCELLED, "cancelled before the package manager started", JobError.CANCELLED,
          "cancelled by a client before the package manager started", clock.instant());
      ended.accept(job);
      return;
    }
    JobsConfig jobs = config.get();
    long timeoutSeconds = jobs.timeoutMinutes() * 60L;
    JsonObject request = new JsonObject()
        .put("job_id", job.id().toString())
        .put("operation", job.operation().wire())
        .put("params", job.params())
        .put("timeout_seconds", timeoutSeconds)
        .put("lock_wait_seconds", jobs.lockWaitSeconds());
    long replyWithin = (timeoutSeconds + jobs.lockWaitSeconds()) * 1000 + recoveryBudget.toMillis();
    vertx.eventBus().<JobOutcome>request(Addresses.PACKAGES_EXECUTE, request,
            new DeliveryOptions().setSendTimeout(replyWithin))
        .onComplete(reply -> finish(job, reply.succeeded() ? reply.result().body()
            : JobOutcome.failed(JobError.PKG_MANAGER_ERROR,
                "the package backend did not run the job: " + ServiceFailure.messageOf(reply.cause()))));
  }

  /** JOB-6 for a running job: its process group is terminated by the backend; the job ends when it answers. */
  void cancel(Job job) {
    job.requestCancel();
    vertx.eventBus().request(Addresses.PACKAGES_CANCEL, new JsonObject().put("job_id", job.id().toString()));
    job.waiting("cancelling: the package manager's process group is being terminated", clock.instant());
    recorder.publish(job);
    recorder.audit(JobRecorder.auditRecord("job_cancel_requested", job).put("durable", true));
  }

  /** Applies the executor's outcome to the job; then it has ended. */
  private void finish(Job job, JobOutcome outcome) {
    job.outcome(outcome.exitCode(), outcome.changes(), outcome.logs(), outcome.plan());
    String text = switch (outcome.status()) {
      case COMPLETED -> "completed: " + job.changes().size() + " package change(s)";
      case CANCELLED -> "cancelled; " + job.changes().size() + " package change(s) had already happened";
      case TIMEOUT -> "stopped after jobs.timeout_minutes (" + config.get().timeoutMinutes() + " min)";
      default -> "failed: " + (outcome.errorText() == null ? outcome.error().name() : outcome.errorText());
    };
    String errorText = outcome.status() == JobStatus.COMPLETED ? null
        : outcome.errorText() == null ? text : outcome.errorText();
    job.finish(outcome.status(), text, outcome.error(), errorText, clock.instant());
    ended.accept(job);
  }

  /** {@code lpa.jobs.progress}: JOB-2 progress relayed as events (persisted with the next state change). */
  void progress(Message<JsonObject> message) {
    Job job = book.find(message.body().getString("job_id"));
    if (job == null || job.status() != JobStatus.RUNNING) {
      return;
    }
    JsonObject plan = message.body().getJsonObject("plan");
    if (plan != null) {
      // JOB-7: the before-versions, stored now so that a crash during the run can still read back what changed.
      job.recordPlan(plan);
      recorder.persist(job);
      return;
    }
    job.progress(message.body().getInteger("progress"), message.body().getString("message"), clock.instant());
    recorder.publish(job);
  }
}
