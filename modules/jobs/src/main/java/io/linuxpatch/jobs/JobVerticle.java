package io.linuxpatch.jobs;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.LocalCodec;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.config.JobsConfig;
import io.linuxpatch.contract.health.HealthCheck;
import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.contract.jobs.JobOperation;
import io.linuxpatch.contract.jobs.JobStatus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every job (JOB-1 to JOB-9): accepts them, persists them before they are acknowledged, runs the
 * package jobs one at a time in submission order through PackageVerticle, cancels them, publishes their
 * events and keeps their history. Deployed as a standard verticle: all job state lives on its one
 * event-loop context, so it needs no locks; file I/O goes to ordered blocking tasks, never the event loop.
 */
public final class JobVerticle extends VerticleBase {

  /** Published health check of the queue and the job store. */
  static final String CHECK = "job_queue";

  private static final Logger LOG = LoggerFactory.getLogger(JobVerticle.class);
  /**
   * Time for the executor to clean up after its own timeout: SIGTERM, 10 s grace, then the database check,
   * which may run {@code dpkg --configure -a} for up to 30 minutes plus two 2-minute audits. The reply must not
   * time out before that, or the next job would start while dpkg is still being repaired.
   */
  private static final Duration EXECUTION_MARGIN = Duration.ofMinutes(36);
  private static final long RETENTION_PERIOD_MS = Duration.ofHours(1).toMillis();
  /** How often owed audit records are offered again while the audit log refuses them (AUD-5). */
  static final long OWED_RETRY_MS = 1_000;
  private static final String JOB_FINISHED = "job_finished";

  private final Clock clock;
  private final Map<UUID, Job> jobs = new LinkedHashMap<>();
  private final Deque<Job> queue = new ArrayDeque<>();
  private final IdempotencyIndex idempotency = new IdempotencyIndex();
  /** Submissions with an Idempotency-Key still being persisted: repeats wait for the first one's answer. */
  private final Map<String, List<Message<JsonObject>>> admittingKeys = new HashMap<>();
  private JobsConfig config;
  private MaintenanceSchedule schedule;
  private JobStore store;
  private JobMetrics metrics;
  private Job running;
  private int admitting;
  private String storeFailure;
  private long windowTimer = -1;
  /** Jobs whose audit records are owed (AUD-5), offered again every {@link #OWED_RETRY_MS} while refused. */
  private final Set<Job> owing = new LinkedHashSet<>();
  /** {@code owed_key}s of owed records on their way to the audit log (one copy in flight at most). */
  private final Set<String> paying = new HashSet<>();
  /** Owed keys whose refusal was logged (once, not every retry). */
  private final Set<String> refusalLogged = new HashSet<>();
  /** Interrupted jobs whose job_finished waits for the database check to read back what they changed. */
  private final Set<Job> awaitingCheck = new HashSet<>();
  private long owedTimer = -1;

  public JobVerticle() {
    this(Clock.systemUTC());
  }

  /** For tests: a clock that maintenance windows and retention read. */
  JobVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    AgentConfig agent = AgentConfig.parse(config()).config();
    configure(agent.jobs());
    store = new JobStore(Path.of(agent.dataDir()).resolve("jobs"));
    metrics = new JobMetrics();
    EventBus bus = vertx.eventBus();
    LocalCodec.register(bus, HealthCheck.class);
    LocalCodec.register(bus, AgentConfig.class);
    return vertx.executeBlocking(() -> {
      store.open();
      return store.loadAll();
    }).map(stored -> {
      List<Job> restarted = recover(stored);
      bus.<JsonObject>localConsumer(Addresses.JOBS_SUBMIT, this::submit);
      bus.<JsonObject>localConsumer(Addresses.JOBS_LIST, m -> m.reply(JobListing.page(jobs.values(), m.body())));
      bus.<JsonObject>localConsumer(Addresses.JOBS_GET, this::get);
      bus.<JsonObject>localConsumer(Addresses.JOBS_DELETE, this::delete);
      bus.<JsonObject>localConsumer(Addresses.JOBS_PROGRESS, this::progress);
      bus.localConsumer(Addresses.HEALTH_RESYNC, m -> publishHealth());
      bus.<AgentConfig>localConsumer(Addresses.CONFIG_CHANGED, m -> {
        configure(m.body().jobs());
        schedule();
      });
      vertx.setPeriodic(RETENTION_PERIOD_MS, t -> applyRetention());
      applyRetention();
      restarted.forEach(this::checkDatabaseAfterRestart);
      // Records owed from before the restart (refused, or cut off by the crash) go now, but those of interrupted
      // jobs, which go once the check has read back their changes.
      new ArrayList<>(owing).forEach(this::payOwed);
      publishHealth();
      schedule();
      LOG.info("job store {}: {} job(s) loaded, {} pending, {} interrupted by the last stop",
          store.directory(), jobs.size(), queue.size(), restarted.size());
      return null;
    });
  }

  private void configure(JobsConfig jobsConfig) {
    config = jobsConfig;
    schedule = MaintenanceSchedule.of(jobsConfig.windows());
  }

  // ---- start-up (JOB-7) ----

  /** Loads the stored jobs; a job that was running when the agent stopped is failed with AGENT_RESTARTED. */
  private List<Job> recover(List<JsonObject> stored) {
    List<Job> loaded = new ArrayList<>();
    for (JsonObject json : stored) {
      try {
        loaded.add(Job.fromStored(json));
      } catch (RuntimeException e) {
        LOG.error("a stored job cannot be understood and is ignored ({}): {}", e.getMessage(),
            json.getString("job_id"));
      }
    }
    loaded.sort(Comparator.comparing(Job::createdAt));
    List<Job> restarted = new ArrayList<>();
    for (Job job : loaded) {
      jobs.put(job.id(), job);
      idempotency.add(job);
      if (job.status() == JobStatus.RUNNING) {
        job.finish(JobStatus.FAILED, "the agent stopped while this job ran", JobError.AGENT_RESTARTED,
            "the agent was stopped or crashed while the job was running; what changed is in the package database",
            clock.instant());
        // AUD-5: its outcome is owed to the audit log, stored with it now, written after the database check.
        job.owe(JOB_FINISHED);
        restarted.add(job);
        persist(job);
      } else if (job.status() == JobStatus.PENDING && job.operation() == JobOperation.REBOOT) {
        // A reboot asked for before the restart is not carried out after it: the restart may have been it.
        job.finish(JobStatus.FAILED, "not carried out: the agent restarted before the reboot command ran",
            JobError.AGENT_RESTARTED, "the agent restarted before this reboot ran; request it again if still needed",
            clock.instant());
        job.owe(JOB_FINISHED);
        persist(job);
      } else if (job.status() == JobStatus.PENDING) {
        queue.add(job);
      } else if (job.owedAudit().contains(JOB_FINISHED) && job.errorCode() == JobError.AGENT_RESTARTED) {
        // Interrupted before the last restart, which itself ended before the check read back the changes: again.
        restarted.add(job);
      }
      if (!job.owedAudit().isEmpty()) {
        owing.add(job);
      }
    }
    return restarted;
  }

  /** JOB-7: after a crash mid-run, dpkg may have been interrupted; the check repairs it and says so in the job. */
  private void checkDatabaseAfterRestart(Job job) {
    if (!job.operation().usesPackageManager()) {
      return;
    }
    awaitingCheck.add(job);
    // The job id lets the package verticle find the interrupted run's process group, if it still runs (issue 17).
    JsonObject request = new JsonObject().put("job_id", job.id().toString());
    if (job.plan() != null) {
      request.put("plan", job.plan());
    }
    vertx.eventBus().<JsonObject>request(Addresses.PACKAGES_CHECK_DATABASE, request,
            new DeliveryOptions().setSendTimeout(EXECUTION_MARGIN.toMillis()))
        .onSuccess(reply -> {
          JsonArray changed = reply.body().getJsonArray("changes");
          if (changed != null && !changed.isEmpty()) {
            // What the interrupted run had done to its packages, read back now: it can be rolled back (JOB-8).
            job.changesAfterRestart(changed);
          }
          List<String> lines = new ArrayList<>();
          lines.add("package database check after the restart: "
              + (reply.body().getBoolean("interrupted", false)
                  ? (reply.body().getBoolean("repaired", false) ? "dpkg was interrupted and has been repaired"
                      : "dpkg was interrupted and could not be repaired; run a repair job")
                  : "consistent"));
          reply.body().getJsonArray("logs", new JsonArray()).forEach(l -> lines.add(String.valueOf(l)));
          job.appendLogs(lines);
          persist(job);
        })
        .onFailure(e -> LOG.warn("the package database could not be checked after the restart: {}", e.getMessage()))
        .onComplete(checked -> {
          // The job's outcome, with what the check read back (or without, when it could not), to the audit log.
          awaitingCheck.remove(job);
          payOwed(job);
        });
  }

  // ---- submission (JOB-1, API-5, JOB-4) ----

  private void submit(Message<JsonObject> message) {
    JsonObject body = message.body();
    JobOperation operation = JobOperation.fromWire(body.getString("operation")).orElse(null);
    if (operation == null) {
      ServiceFailure.fail(message, ErrorCode.INVALID_REQUEST, "unknown operation " + body.getString("operation"));
      return;
    }
    Instant now = clock.instant();
    JsonObject requestedBy = body.getJsonObject("requested_by", new JsonObject());
    String key = body.getString("idempotency_key");
    String hash = body.getString("idempotency_hash");
    if (key != null) {
      String scoped = IdempotencyIndex.scoped(requestedBy.getString("sha256", ""), key);
      List<Message<JsonObject>> waiting = admittingKeys.get(scoped);
      if (waiting != null) {
        waiting.add(message);
        return;
      }
      Job first = idempotency.find(requestedBy.getString("sha256", ""), key, now);
      if (first != null) {
        answerRepeat(message, first);
        return;
      }
    }
    if (body.getBoolean("lookup_only", false)) {
      // API-5 before any planning: a retry must get its first job back even when the plan would now fail
      // (the package it installed is there now, its plan_id is stale after its own run).
      message.reply(new JsonObject().putNull("job").put("repeat", false));
      return;
    }
    boolean force = body.getBoolean("force", false);
    JsonObject params = body.getJsonObject("params", new JsonObject());
    Job target = null;
    if (operation == JobOperation.ROLLBACK) {
      target = rollbackTarget(message, body.getString("rollback_of"));
      if (target == null) {
        return;
      }
      params = new JsonObject().put("changes", target.changes().copy());
    }
    if (operation.usesPackageManager()) {
      if (queue.size() + admitting >= config.maxQueueDepth()) {
        ServiceFailure.fail(message, ErrorCode.QUEUE_FULL, "the job queue is full (" + config.maxQueueDepth()
            + " jobs waiting, jobs.max_queue_depth); retry later",
            new JsonObject().put("pending", queue.size()).put("max_queue_depth", config.maxQueueDepth()));
        return;
      }
    } else if (!force && busyWithPackages() != null) {
      Job busy = busyWithPackages();
      ServiceFailure.fail(message, ErrorCode.REBOOT_BLOCKED, "a package job is " + busy.status().wire()
          + " (" + busy.id() + "); wait for it or send \"force\": true",
          new JsonObject().put("job_id", busy.id().toString()).put("status", busy.status().wire()));
      return;
    }
    Job job = new Job(UUID.randomUUID(), operation, now, body.getString("request_id"), requestedBy, params, force,
        key, hash, target == null ? null : target.id());
    if (target != null) {
      // Reserved now, not after the two fsyncs: a second rollback of the same job arriving meanwhile is refused.
      target.rolledBackBy(job.id(), now);
    }
    admit(message, job, target);
  }

  /** Audit record on disk (AUD-4), then the job on disk (JOB-7), then the answer; in that order. */
  private void admit(Message<JsonObject> message, Job job, Job target) {
    String scoped = job.idempotencyKey() == null ? null
        : IdempotencyIndex.scoped(job.clientFingerprint(), job.idempotencyKey());
    if (scoped != null) {
      admittingKeys.put(scoped, new ArrayList<>());
    }
    admit(job, target).onComplete(done -> {
      List<Message<JsonObject>> repeats = scoped == null ? List.of() : admittingKeys.remove(scoped);
      if (done.failed()) {
        if (target != null && job.id().equals(target.rolledBackBy())) {
          target.rolledBackBy(null, clock.instant());
        }
        forward(message, done.cause());
        repeats.forEach(repeat -> forward(repeat, done.cause()));
        return;
      }
      // JOB-1: the answer shows the job as it was accepted (pending), even if it has started since.
      message.reply(new JsonObject().put("job", done.result()).put("repeat", false));
      repeats.forEach(repeat -> answerRepeat(repeat, job));
    });
  }

  /** Audit record on disk (AUD-4), then the job on disk (JOB-7); only then is the job known and queued. */
  private Future<JsonObject> admit(Job job, Job target) {
    admitting++;
    JsonObject record = auditRecord("job_created", job).put("durable", true).put("params", job.params());
    return vertx.eventBus().<JsonObject>request(Addresses.AUDIT_RECORD, record)
        .recover(e -> Future.failedFuture(ServiceFailure.of(ErrorCode.AUDIT_UNAVAILABLE,
            "the job was not accepted because its audit record cannot be written: " + ServiceFailure.messageOf(e))))
        .compose(audited -> persist(job).recover(e -> Future.failedFuture(ServiceFailure.of(
            ErrorCode.JOB_STORE_UNAVAILABLE, "the job was not accepted because it cannot be stored: " + e.getMessage()))))
        .eventually(() -> {
          admitting--;
          return Future.succeededFuture();
        })
        .map(stored -> {
          jobs.put(job.id(), job);
          idempotency.add(job);
          if (target != null) {
            persist(target);
          }
          publish(job);
          JsonObject accepted = job.summary();
          if (job.operation().usesPackageManager()) {
            queue.add(job);
            schedule();
          } else {
            runReboot(job);
          }
          publishHealth();
          return accepted;
        });
  }

  /**
   * Endpoint 8's {@code allow_reboot}: after a completed patch run, when the host now needs a reboot, a reboot
   * job follows in the patch job's name, with its delay; unless other package jobs wait (it would be blocked).
   */
  private void rebootAfterPatches(Job patches) {
    JsonObject params = patches.params();
    vertx.eventBus().<JsonObject>request(Addresses.SYSTEM_INFO, null)
        .onSuccess(info -> {
          JsonObject reboot = info.body().getJsonObject("reboot_required", new JsonObject());
          if (!reboot.getBoolean("required", false)) {
            note(patches, "allow_reboot: no reboot is needed after this patch run");
            return;
          }
          if (busyWithPackages() != null) {
            note(patches, "allow_reboot: a reboot is needed but not requested, because package job "
                + busyWithPackages().id() + " is " + busyWithPackages().status().wire());
            return;
          }
          Job follow = new Job(UUID.randomUUID(), JobOperation.REBOOT, clock.instant(), patches.requestId(),
              patches.requestedBy(), new JsonObject()
                  .put("delay_seconds", params.getInteger("reboot_delay_seconds", 60))
                  .put("reason", "allow_reboot of patch job " + patches.id()), false, null, null, null);
          admit(follow, null)
              .onSuccess(job -> note(patches, "allow_reboot: reboot job " + follow.id() + " requested"))
              .onFailure(e -> note(patches, "allow_reboot: the reboot could not be requested: " + e.getMessage()));
        })
        .onFailure(e -> note(patches, "allow_reboot: the reboot state could not be read: " + e.getMessage()));
  }

  private void note(Job job, String line) {
    job.appendLogs(List.of(line));
    persist(job);
  }

  private void answerRepeat(Message<JsonObject> message, Job first) {
    if (first.idempotencyHash() != null && !first.idempotencyHash().equals(message.body().getString("idempotency_hash"))) {
      ServiceFailure.fail(message, ErrorCode.IDEMPOTENCY_KEY_REUSED, "this Idempotency-Key was used within 24 h for "
          + "a different request (job " + first.id() + "); use a new key", new JsonObject().put("job_id", first.id().toString()));
      return;
    }
    message.reply(new JsonObject().put("job", first.summary()).put("repeat", true));
  }

  private Job rollbackTarget(Message<JsonObject> message, String id) {
    Job target = knownJob(message, id);
    if (target == null) {
      return null;
    }
    String refusal = null;
    if (!target.status().isFinal()) {
      refusal = "job " + id + " has not finished (" + target.status().wire() + ")";
    } else if (!target.operation().changesPackages()) {
      refusal = "a " + target.operation().wire() + " job changes no package";
    } else if (target.changes().isEmpty()) {
      refusal = "job " + id + " changed no package, so there is nothing to roll back";
    } else if (target.rolledBackBy() != null && rollbackStillCounts(target.rolledBackBy())) {
      refusal = "job " + id + " is already rolled back by job " + target.rolledBackBy();
    }
    if (refusal != null) {
      ServiceFailure.fail(message, ErrorCode.JOB_NOT_ROLLBACKABLE, refusal, new JsonObject().put("job_id", id));
      return null;
    }
    return target;
  }

  /** A rollback that failed before changing anything does not stop another attempt. */
  private boolean rollbackStillCounts(UUID rollback) {
    Job job = jobs.get(rollback);
    // Deleting a rollback from the history does not undo what it did.
    return job == null || !job.status().isFinal() || job.status() == JobStatus.COMPLETED || !job.changes().isEmpty();
  }

  private Job busyWithPackages() {
    if (running != null && running.operation().usesPackageManager()) {
      return running;
    }
    return queue.peek();
  }

  // ---- running (JOB-4, JOB-5, maintenance windows) ----

  /** Starts the next package job when none runs and the maintenance window (if any) is open. */
  private void schedule() {
    if (running != null || queue.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    // Outside the maintenance window only forced jobs run, the first of them in submission order; the others
    // keep their places and wait for the window.
    Job next = schedule.isOpen(now) ? queue.peek() : queue.stream().filter(Job::force).findFirst().orElse(null);
    if (next == null) {
      waitForWindow(now);
      return;
    }
    queue.remove(next);
    running = next;
    next.start(now);
    publish(next);
    audit(auditRecord("job_started", next));
    publishHealth();
    // Persisted as running before the package manager starts: a crash from here on is seen at start-up. A job
    // whose running state cannot be stored does not run (after a crash it would run a second time).
    persist(next)
        .onSuccess(stored -> execute(next))
        .onFailure(e -> {
          next.finish(JobStatus.FAILED, "not started: the job store cannot be written", JobError.PKG_MANAGER_ERROR,
              "the job's running state could not be stored (" + e.getMessage() + "), so it was not started",
              clock.instant());
          jobEnded(next);
        });
  }

  private void waitForWindow(Instant now) {
    Instant opens = schedule.nextOpening(now);
    String text = "waiting for the maintenance window opening at " + Times.format(opens)
        + " (jobs.maintenance_windows); send \"force\": true to run outside it";
    for (Job pending : queue) {
      if (!pending.force() && !text.equals(pending.message())) {
        pending.waiting(text, now);
        publish(pending);
      }
    }
    if (windowTimer >= 0) {
      vertx.cancelTimer(windowTimer);
    }
    // Re-checked at least every minute, so a clock change or a config reload cannot leave jobs stranded.
    long delay = Math.max(1_000, Math.min(Duration.between(now, opens).toMillis(), 60_000));
    windowTimer = vertx.setTimer(delay, t -> {
      windowTimer = -1;
      schedule();
    });
  }

  private void execute(Job job) {
    if (job.cancelRequested()) {
      // Cancelled while its running state was being stored: the backend has nothing to cancel yet, so the
      // job must not be sent at all (JOB-6).
      job.finish(JobStatus.CANCELLED, "cancelled before the package manager started", JobError.CANCELLED,
          "cancelled by a client before the package manager started", clock.instant());
      jobEnded(job);
      return;
    }
    long timeoutSeconds = config.timeoutMinutes() * 60L;
    JsonObject request = new JsonObject()
        .put("job_id", job.id().toString())
        .put("operation", job.operation().wire())
        .put("params", job.params())
        .put("timeout_seconds", timeoutSeconds)
        .put("lock_wait_seconds", config.lockWaitSeconds());
    long replyWithin = (timeoutSeconds + config.lockWaitSeconds()) * 1000 + EXECUTION_MARGIN.toMillis();
    vertx.eventBus().<JsonObject>request(Addresses.PACKAGES_EXECUTE, request,
            new DeliveryOptions().setSendTimeout(replyWithin))
        .onComplete(reply -> {
          if (reply.succeeded()) {
            finish(job, reply.result().body());
          } else {
            finish(job, new JsonObject().put("outcome", "failed").put("error_code", JobError.PKG_MANAGER_ERROR.name())
                .put("error", "the package backend did not run the job: " + ServiceFailure.messageOf(reply.cause())));
          }
        });
  }

  /** Applies the executor's outcome to the job, stores it, tells everyone, and starts the next one. */
  private void finish(Job job, JsonObject outcome) {
    Instant now = clock.instant();
    JobStatus end = switch (outcome.getString("outcome", "failed")) {
      case "completed" -> JobStatus.COMPLETED;
      case "cancelled" -> JobStatus.CANCELLED;
      case "timeout" -> JobStatus.TIMEOUT;
      default -> JobStatus.FAILED;
    };
    JobError code = end == JobStatus.COMPLETED ? null : errorCode(outcome, end);
    List<String> logs = new ArrayList<>();
    outcome.getJsonArray("logs", new JsonArray()).forEach(line -> logs.add(String.valueOf(line)));
    job.outcome(outcome.getInteger("exit_code"), outcome.getJsonArray("changes"), logs, outcome.getJsonObject("plan"));
    String text = switch (end) {
      case COMPLETED -> "completed: " + job.changes().size() + " package change(s)";
      case CANCELLED -> "cancelled; " + job.changes().size() + " package change(s) had already happened";
      case TIMEOUT -> "stopped after jobs.timeout_minutes (" + config.timeoutMinutes() + " min)";
      default -> "failed: " + outcome.getString("error", code.name());
    };
    job.finish(end, text, code, end == JobStatus.COMPLETED ? null : outcome.getString("error", text), now);
    jobEnded(job);
  }

  private static JobError errorCode(JsonObject outcome, JobStatus end) {
    if (end == JobStatus.CANCELLED) {
      return JobError.CANCELLED;
    }
    if (end == JobStatus.TIMEOUT) {
      return JobError.TIMEOUT;
    }
    try {
      return JobError.valueOf(outcome.getString("error_code", JobError.PKG_MANAGER_ERROR.name()));
    } catch (IllegalArgumentException e) {
      return JobError.PKG_MANAGER_ERROR;
    }
  }

  private void jobEnded(Job job) {
    if (running == job) {
      running = null;
    }
    // AUD-1: every job state change and every package change; durable because it is the only record of what the
    // job did to the host. Owed (AUD-5) until the audit log has it: stored with the job's final state, so that a
    // refusal (disk full) or a crash before the write leaves it to be written later, not lost.
    job.owe(JOB_FINISHED);
    owing.add(job);
    persist(job);
    publish(job);
    payOwed(job);
    metrics.finished(job, Duration.between(job.startedOrCreatedAt(), job.completedAt()));
    publishHealth();
    schedule();
    if (job.operation() == JobOperation.PATCH_APPLY && job.status() == JobStatus.COMPLETED
        && job.params().getBoolean("allow_reboot", false)) {
      rebootAfterPatches(job);
    }
  }

  /** JOB-2 progress from the package manager, relayed as events; persisted with the next state change. */
  private void progress(Message<JsonObject> message) {
    Job job = jobs.get(parseId(message.body().getString("job_id")));
    if (job == null || job.status() != JobStatus.RUNNING) {
      return;
    }
    JsonObject plan = message.body().getJsonObject("plan");
    if (plan != null) {
      job.recordPlan(plan);
      persist(job);
      return;
    }
    job.progress(message.body().getInteger("progress"), message.body().getString("message"), clock.instant());
    publish(job);
  }

  /** Endpoint 10: runs at once (it only schedules the reboot), beside the package queue. */
  private void runReboot(Job job) {
    job.start(clock.instant());
    publish(job);
    JsonObject params = job.params();
    audit(auditRecord("reboot", job).put("delay_seconds", params.getInteger("delay_seconds", 0))
        .put("reason", params.getString("reason")).put("force", job.force()).put("durable", true));
    persist(job).compose(stored -> vertx.eventBus().<JsonObject>request(Addresses.SYSTEM_REBOOT,
            new JsonObject().put("delay_seconds", params.getInteger("delay_seconds", 0))
                .put("reason", params.getString("reason"))))
        .onComplete(reply -> {
          if (reply.succeeded()) {
            JsonObject result = reply.result().body();
            job.outcome(result.getInteger("exit_code"), new JsonArray(),
                List.of("ran " + String.join(" ", result.getJsonArray("command", new JsonArray()).stream()
                    .map(String::valueOf).toList())), null);
            job.finish(JobStatus.COMPLETED, "reboot requested", null, null, clock.instant());
          } else {
            job.outcome(null, new JsonArray(), List.of(ServiceFailure.messageOf(reply.cause())), null);
            job.finish(JobStatus.FAILED, "the reboot command failed", JobError.PKG_MANAGER_ERROR, ServiceFailure.messageOf(reply.cause()), clock.instant());
          }
          jobEnded(job);
        });
  }

  // ---- reading, cancelling, deleting (endpoints 11, 12, 14) ----

  private void get(Message<JsonObject> message) {
    Job job = knownJob(message, message.body().getString("job_id"));
    if (job != null) {
      message.reply(job.toJson());
    }
  }

  /** The job with this id, or null after failing {@code message} with JOB_NOT_FOUND (also for a malformed id). */
  private Job knownJob(Message<JsonObject> message, String id) {
    Job job = jobs.get(parseId(id));
    if (job == null) {
      ServiceFailure.fail(message, ErrorCode.JOB_NOT_FOUND, "no job " + id, new JsonObject().put("job_id", id));
    }
    return job;
  }

  /** Pending → cancelled; running → its process group terminated (JOB-6); finished → deleted from history. */
  private void delete(Message<JsonObject> message) {
    String id = message.body().getString("job_id");
    Job job = knownJob(message, id);
    if (job == null) {
      return;
    }
    Instant now = clock.instant();
    switch (job.status()) {
      case PENDING -> {
        queue.remove(job);
        job.finish(JobStatus.CANCELLED, "cancelled before it started", JobError.CANCELLED,
            "cancelled by a client before it started", now);
        jobEnded(job);
        message.reply(new JsonObject().put("action", "cancelled").put("job", job.summary()));
      }
      case RUNNING -> {
        job.requestCancel();
        vertx.eventBus().request(Addresses.PACKAGES_CANCEL, new JsonObject().put("job_id", id));
        job.waiting("cancelling: the package manager's process group is being terminated", now);
        publish(job);
        audit(auditRecord("job_cancel_requested", job).put("durable", true));
        message.reply(new JsonObject().put("action", "cancelling").put("job", job.summary()));
      }
      default -> {
        if (!job.owedAudit().isEmpty()) {
          ServiceFailure.fail(message, ErrorCode.AUDIT_UNAVAILABLE, "job " + id + " cannot be deleted yet: its "
              + String.join(", ", job.owedAudit()) + " audit record is not in the audit log yet (it is kept with the "
              + "job until it is)", new JsonObject().put("job_id", id));
          return;
        }
        forget(List.of(job));
        audit(auditRecord("job_deleted", job).put("durable", true));
        message.reply(new JsonObject().put("action", "deleted").put("job", job.summary()));
      }
    }
  }

  // ---- history (JOB-7 retention) ----

  /** Drops finished jobs older than jobs.retention_days, then the oldest beyond jobs.max_history. */
  private void applyRetention() {
    Instant cutoff = clock.instant().minus(Duration.ofDays(config.retentionDays()));
    // A job whose audit records are still owed keeps its file: that is where they are kept (AUD-5).
    List<Job> finished = jobs.values().stream().filter(j -> j.status().isFinal() && j.owedAudit().isEmpty())
        .sorted(Comparator.comparing(Job::createdAt)).toList();
    int excess = jobs.size() - config.maxHistory();
    List<Job> dropped = new ArrayList<>();
    for (Job job : finished) {
      if (job.completedAt() != null && job.completedAt().isBefore(cutoff) || excess > 0) {
        dropped.add(job);
        excess--;
      }
    }
    if (!dropped.isEmpty()) {
      forget(dropped);
      LOG.info("job history: {} finished job(s) past jobs.retention_days / jobs.max_history removed", dropped.size());
    }
  }

  /** Removes finished jobs from the history: from memory at once, their files in the ordered blocking queue. */
  private void forget(List<Job> finished) {
    List<UUID> ids = new ArrayList<>();
    for (Job job : finished) {
      jobs.remove(job.id());
      idempotency.remove(job);
      ids.add(job.id());
    }
    vertx.executeBlocking(() -> {
      for (UUID id : ids) {
        store.delete(id);
      }
      return null;
    }, true).onFailure(e -> LOG.error("jobs {} left the history but their files could not be deleted: {}", ids,
        e.toString()));
  }

  // ---- owed audit records (AUD-5) ----

  /**
   * Sends the job's owed audit records (durable, each with its {@code owed_key}, so that the audit_log check
   * counts it while refused); each one written is removed from the job file. A refusal keeps it and retries
   * every {@link #OWED_RETRY_MS}.
   */
  private void payOwed(Job job) {
    if (awaitingCheck.contains(job)) {
      return;
    }
    for (String event : job.owedAudit()) {
      String key = event + ":" + job.id();
      if (!paying.add(key)) {
        continue;
      }
      vertx.eventBus().<JsonObject>request(Addresses.AUDIT_RECORD, owedRecord(job, event)
              .put("durable", true).put("owed_key", key))
          .onComplete(written -> {
            paying.remove(key);
            if (written.succeeded()) {
              if (refusalLogged.remove(key)) {
                LOG.info("audit record {} of job {} is written now", event, job.id());
              }
              job.paid(event);
              if (job.owedAudit().isEmpty()) {
                owing.remove(job);
              }
              if (jobs.containsKey(job.id())) {
                persist(job);
              }
            } else {
              if (refusalLogged.add(key)) {
                LOG.error("audit record {} of job {} could not be written ({}); it is kept with the job and written "
                    + "once the audit log can be written again", event, job.id(), ServiceFailure.messageOf(written.cause()));
              }
              retryOwed();
            }
          });
    }
  }

  private void retryOwed() {
    if (owedTimer >= 0) {
      return;
    }
    owedTimer = vertx.setPeriodic(OWED_RETRY_MS, t -> {
      if (owing.isEmpty()) {
        vertx.cancelTimer(owedTimer);
        owedTimer = -1;
        return;
      }
      new ArrayList<>(owing).forEach(this::payOwed);
    });
  }

  /** The record of an owed event, made from the job's state now (for job_finished: its outcome and changes). */
  private static JsonObject owedRecord(Job job, String event) {
    JsonObject record = auditRecord(event, job);
    if (JOB_FINISHED.equals(event)) {
      record.put("changes", job.changes())
          .put("error_code", job.errorCode() == null ? null : job.errorCode().name())
          .put("completed_at", Times.format(job.completedAt()));
    }
    return record;
  }

  // ---- plumbing ----

  private Future<Void> persist(Job job) {
    byte[] bytes = job.toStored().encode().getBytes(StandardCharsets.UTF_8);
    UUID id = job.id();
    return vertx.<Void>executeBlocking(() -> {
      store.write(id, bytes);
      return null;
    }, true).onSuccess(v -> storeWorks()).onFailure(this::storeFails);
  }

  private void storeWorks() {
    if (storeFailure != null) {
      LOG.info("the job store {} can be written again", store.directory());
      storeFailure = null;
      publishHealth();
    }
  }

  private void storeFails(Throwable e) {
    if (storeFailure == null) {
      LOG.error("the job store {} cannot be written: {}; new jobs are refused until it can", store.directory(), e.toString());
    }
    storeFailure = e.toString();
    publishHealth();
  }

  /** JOB-9: every change of a job, to the WebSocket relays and to cluster subscribers. */
  private void publish(Job job) {
    String type = job.status().isFinal() ? "job_complete" : "job_status";
    vertx.eventBus().publish(Addresses.JOB_EVENTS, new JsonObject().put("type", type).put("job", job.summary()));
  }

  private void audit(JsonObject record) {
    if (Boolean.TRUE.equals(record.getBoolean("durable"))) {
      vertx.eventBus().request(Addresses.AUDIT_RECORD, record)
          .onFailure(e -> LOG.error("audit record {} for job {} could not be written: {}", record.getString("event"),
              record.getString("job_id"), e.getMessage()));
    } else {
      vertx.eventBus().send(Addresses.AUDIT_RECORD, record);
    }
  }

  private static JsonObject auditRecord(String event, Job job) {
    return new JsonObject()
        .put("event", event)
        .put("job_id", job.id().toString())
        .put("operation", job.operation().wire())
        .put("status", job.status().wire())
        .put("request_id", job.requestId())
        .put("client", job.requestedBy());
  }

  private void publishHealth() {
    metrics.queue(queue.size(), running == null ? 0 : 1);
    JsonObject details = new JsonObject()
        .put("pending", queue.size())
        .put("running", running == null ? null : running.id().toString())
        .put("max_queue_depth", config.maxQueueDepth())
        .put("store", store.directory().toString());
    HealthCheck check = storeFailure != null
        ? HealthCheck.unhealthy(CHECK, "the job store cannot be written (" + storeFailure + "); new jobs are refused",
            details.put("error", storeFailure))
        : HealthCheck.healthy(CHECK, queue.size() + " job(s) waiting, " + (running == null ? "none" : "one") + " running",
            details);
    vertx.eventBus().publish(Addresses.HEALTH_CHECK, check);
  }

  private static void forward(Message<JsonObject> message, Throwable failure) {
    ServiceFailure.fail(message, ServiceFailure.codeOf(failure), ServiceFailure.messageOf(failure),
        ServiceFailure.detailsOf(failure));
  }

  private static UUID parseId(String id) {
    try {
      return id == null ? null : UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
