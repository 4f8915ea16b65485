package io.linuxpatch.jobs;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.contract.config.JobsConfig;
import io.linuxpatch.contract.jobs.JobOperation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Admission of new jobs ({@code lpa.jobs.submit}; JOB-1, API-5, JOB-4): the Idempotency-Key answered from the
 * first job (repeats that arrive while that job is still being stored wait for its answer), QUEUE_FULL and
 * REBOOT_BLOCKED, the rollback's reservation on its target, and then, in this order, a durable {@code job_created}
 * audit record (AUD-4), the job on disk (JOB-7) and the answer — so a 202 always names a durable job. Only then is
 * the job known, and handed to {@code accepted} (the queue, or a reboot run).
 */
final class Admission {

  private final Vertx vertx;
  private final Clock clock;
  private final JobBook book;
  private final JobRecorder recorder;
  private final Rollbacks rollbacks;
  private final Supplier<JobsConfig> config;
  private final Consumer<Job> accepted;
  /** Submissions with an Idempotency-Key still being persisted: repeats wait for the first one's answer. */
  private final Map<String, List<Message<JsonObject>>> admittingKeys = new HashMap<>();
  /** Jobs between their admission and their place in the queue: they count against the queue's bound. */
  private int admitting;

  Admission(Vertx vertx, Clock clock, JobBook book, JobRecorder recorder, Rollbacks rollbacks,
      Supplier<JobsConfig> config, Consumer<Job> accepted) {
    this.vertx = vertx;
    this.clock = clock;
    this.book = book;
    this.recorder = recorder;
    this.rollbacks = rollbacks;
    this.config = config;
    this.accepted = accepted;
  }

  /** {@code lpa.jobs.submit}. */
  void submit(Message<JsonObject> message) {
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
      Job first = book.idempotency().find(requestedBy.getString("sha256", ""), key, now);
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
      target = rollbacks.target(message, body.getString("rollback_of"));
      if (target == null) {
        return;
      }
      params = new JsonObject().put("changes", target.changes().copy());
    }
    if (operation.usesPackageManager()) {
      int maxDepth = config.get().maxQueueDepth();
      if (book.queue().size() + admitting >= maxDepth) {
        ServiceFailure.fail(message, ErrorCode.QUEUE_FULL, "the job queue is full (" + maxDepth
            + " jobs waiting, jobs.max_queue_depth); retry later",
            new JsonObject().put("pending", book.queue().size()).put("max_queue_depth", maxDepth));
        return;
      }
    } else if (!force && book.busyWithPackages() != null) {
      Job busy = book.busyWithPackages();
      ServiceFailure.fail(message, ErrorCode.REBOOT_BLOCKED, "a package job is " + busy.status().wire()
          + " (" + busy.id() + "); wait for it or send \"force\": true",
          new JsonObject().put("job_id", busy.id().toString()).put("status", busy.status().wire()));
      return;
    }
    Job job = new Job(UUID.randomUUID(), operation, now, body.getString("request_id"), requestedBy, params, force,
        key, hash, target == null ? null : target.id());
    if (target != null) {
      // Reserved now, not after the two fsyncs: a second rollback of the same job arriving meanwhile is refused.
      rollbacks.reserve(target, job, now);
    }
    admit(message, job, target);
  }

  /** Admits {@code job} and answers {@code message} (and the repeats that waited for it). */
  private void admit(Message<JsonObject> message, Job job, Job target) {
    String scoped = job.idempotencyKey() == null ? null
        : IdempotencyIndex.scoped(job.clientFingerprint(), job.idempotencyKey());
    if (scoped != null) {
      admittingKeys.put(scoped, new ArrayList<>());
    }
    admit(job, target).onComplete(done -> {
      List<Message<JsonObject>> repeats = scoped == null ? List.of() : admittingKeys.remove(scoped);
      if (done.failed()) {
        rollbacks.release(target, job, clock.instant());
        forward(message, done.cause());
        repeats.forEach(repeat -> forward(repeat, done.cause()));
        return;
      }
      // JOB-1: the answer shows the job as it was accepted (pending), even if it has started since.
      message.reply(new JsonObject().put("job", done.result()).put("repeat", false));
      repeats.forEach(repeat -> answerRepeat(repeat, job));
    });
  }

  /**
   * Audit record on disk (AUD-4), then the job on disk (JOB-7); only then is the job known and handed on. The
   * result is the job's summary as accepted. Also how a reboot that follows a patch run is admitted.
   */
  Future<JsonObject> admit(Job job, Job target) {
    admitting++;
    JsonObject record = JobRecorder.auditRecord("job_created", job).put("durable", true).put("params", job.params());
    return vertx.eventBus().<JsonObject>request(Addresses.AUDIT_RECORD, record)
        .recover(e -> Future.failedFuture(ServiceFailure.of(ErrorCode.AUDIT_UNAVAILABLE,
            "the job was not accepted because its audit record cannot be written: " + ServiceFailure.messageOf(e))))
        .compose(audited -> recorder.persist(job).recover(e -> Future.failedFuture(ServiceFailure.of(
            ErrorCode.JOB_STORE_UNAVAILABLE, "the job was not accepted because it cannot be stored: " + e.getMessage()))))
        .eventually(() -> {
          admitting--;
          return Future.succeededFuture();
        })
        .map(stored -> {
          book.add(job);
          if (target != null) {
            recorder.persist(target);
          }
          recorder.publish(job);
          JsonObject summary = job.summary();
          accepted.accept(job);
          recorder.publishHealth();
          return summary;
        });
  }

  private void answerRepeat(Message<JsonObject> message, Job first) {
    if (first.idempotencyHash() != null && !first.idempotencyHash().equals(message.body().getString("idempotency_hash"))) {
      ServiceFailure.fail(message, ErrorCode.IDEMPOTENCY_KEY_REUSED, "this Idempotency-Key was used within 24 h for "
          + "a different request (job " + first.id() + "); use a new key", new JsonObject().put("job_id", first.id().toString()));
      return;
    }
    message.reply(new JsonObject().put("job", first.summary()).put("repeat", true));
  }

  private static void forward(Message<JsonObject> message, Throwable failure) {
    ServiceFailure.fail(message, ServiceFailure.codeOf(failure), ServiceFailure.messageOf(failure),
        ServiceFailure.detailsOf(failure));
  }
}
