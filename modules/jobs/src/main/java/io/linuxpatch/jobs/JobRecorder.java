package io.linuxpatch.jobs;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.config.JobsConfig;
import io.linuxpatch.contract.health.HealthCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a change of a job goes: its file (fsync, in the ordered blocking queue, never on the event loop), its
 * event on {@code lpa.jobs.events} (JOB-9), its audit record (AUD-1), the job meters, and the {@code job_queue}
 * health check, which turns unhealthy while the job store cannot be written.
 */
final class JobRecorder {

  /** Published health check of the queue and the job store. */
  static final String CHECK = "job_queue";

  private static final Logger LOG = LoggerFactory.getLogger(JobRecorder.class);

  private final Vertx vertx;
  private final JobStore store;
  private final JobMetrics metrics;
  private final JobBook book;
  private final Supplier<JobsConfig> config;
  private String storeFailure;

  JobRecorder(Vertx vertx, JobStore store, JobMetrics metrics, JobBook book, Supplier<JobsConfig> config) {
    this.vertx = vertx;
    this.store = store;
    this.metrics = metrics;
    this.book = book;
    this.config = config;
  }

  JobStore store() {
    return store;
  }

  /** Replaces the job's file (atomic, fsync); the health check follows whether the store can be written. */
  Future<Void> persist(Job job) {
    byte[] bytes = job.toStored().encode().getBytes(StandardCharsets.UTF_8);
    UUID id = job.id();
    return vertx.<Void>executeBlocking(() -> {
      store.write(id, bytes);
      return null;
    }, true).onSuccess(v -> storeWorks()).onFailure(this::storeFails);
  }

  /** JOB-9: every change of a job, to the WebSocket relays and to cluster subscribers. */
  void publish(Job job) {
    String type = job.status().isFinal() ? "job_complete" : "job_status";
    vertx.eventBus().publish(Addresses.JOB_EVENTS, new JsonObject().put("type", type).put("job", job.summary()));
  }

  /** Sends an audit record; a durable one is logged when the audit log refuses it. */
  void audit(JsonObject record) {
    if (Boolean.TRUE.equals(record.getBoolean("durable"))) {
      vertx.eventBus().request(Addresses.AUDIT_RECORD, record)
          .onFailure(e -> LOG.error("audit record {} for job {} could not be written: {}", record.getString("event"),
              record.getString("job_id"), e.getMessage()));
    } else {
      vertx.eventBus().send(Addresses.AUDIT_RECORD, record);
    }
  }

  /** The fields every audit record of a job carries. */
  static JsonObject auditRecord(String event, Job job) {
    return new JsonObject()
        .put("event", event)
        .put("job_id", job.id().toString())
        .put("operation", job.operation().wire())
        .put("status", job.status().wire())
        .put("request_id", job.requestId())
        .put("client", job.requestedBy());
  }

  /** MET-1: a job that ended, by operation, status and duration. */
  void finished(Job job) {
    metrics.finished(job, Duration.between(job.startedOrCreatedAt(), job.completedAt()));
  }

  /** The {@code job_queue} check and the queue meters, from the book as it is now. */
  void publishHealth() {
    Job running = book.running();
    int pending = book.queue().size();
    metrics.queue(pending, running == null ? 0 : 1);
    JsonObject details = new JsonObject()
        .put("pending", pending)
        .put("running", running == null ? null : running.id().toString())
        .put("max_queue_depth", config.get().maxQueueDepth())
        .put("store", store.directory().toString());
    HealthCheck check = storeFailure != null
        ? HealthCheck.unhealthy(CHECK, "the job store cannot be written (" + storeFailure + "); new jobs are refused",
            details.put("error", storeFailure))
        : HealthCheck.healthy(CHECK, pending + " job(s) waiting, " + (running == null ? "none" : "one") + " running",
            details);
    vertx.eventBus().publish(Addresses.HEALTH_CHECK, check);
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
}
