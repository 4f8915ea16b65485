package io.linuxpatch.jobs;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.contract.config.JobsConfig;
import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.contract.jobs.JobStatus;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job history (endpoints 11, 12, 14; JOB-7 retention): listing and reading jobs, {@code DELETE} — a pending
 * job cancelled, a running one's cancel passed to its run, a finished one deleted —, and retention
 * ({@code jobs.retention_days} / {@code jobs.max_history}). A job whose audit records are still owed keeps its file.
 */
final class History {

  private static final Logger LOG = LoggerFactory.getLogger(History.class);

  private final Vertx vertx;
  private final Clock clock;
  private final JobBook book;
  private final JobRecorder recorder;
  private final PackageRuns runs;
  private final Supplier<JobsConfig> config;
  private final Consumer<Job> ended;

  History(Vertx vertx, Clock clock, JobBook book, JobRecorder recorder, PackageRuns runs, Supplier<JobsConfig> config,
      Consumer<Job> ended) {
    this.vertx = vertx;
    this.clock = clock;
    this.book = book;
    this.recorder = recorder;
    this.runs = runs;
    this.config = config;
    this.ended = ended;
  }

  /** {@code lpa.jobs.list}: endpoint 11. */
  void list(Message<JsonObject> message) {
    message.reply(JobListing.page(book.all(), message.body()));
  }

  /** {@code lpa.jobs.get}: endpoint 12. */
  void get(Message<JsonObject> message) {
    Job job = book.findOrFail(message, message.body().getString("job_id"));
    if (job != null) {
      message.reply(job.toJson());
    }
  }

  /** {@code lpa.jobs.delete}: pending → cancelled; running → its process group terminated (JOB-6); finished → deleted. */
  void delete(Message<JsonObject> message) {
    String id = message.body().getString("job_id");
    Job job = book.findOrFail(message, id);
    if (job == null) {
      return;
    }
    switch (job.status()) {
      case PENDING -> {
        book.queue().remove(job);
        job.finish(JobStatus.CANCELLED, "cancelled before it started", JobError.CANCELLED,
            "cancelled by a client before it started", clock.instant());
        ended.accept(job);
        message.reply(new JsonObject().put("action", "cancelled").put("job", job.summary()));
      }
      case RUNNING -> {
        runs.cancel(job);
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
        recorder.audit(JobRecorder.auditRecord("job_deleted", job).put("durable", true));
        message.reply(new JsonObject().put("action", "deleted").put("job", job.summary()));
      }
    }
  }

  /** Drops finished jobs older than jobs.retention_days, then the oldest beyond jobs.max_history. */
  void applyRetention() {
    JobsConfig jobs = config.get();
    Instant cutoff = clock.instant().minus(Duration.ofDays(jobs.retentionDays()));
    // A job whose audit records are still owed keeps its file: that is where they are kept (AUD-5).
    List<Job> finished = book.all().stream().filter(j -> j.status().isFinal() && j.owedAudit().isEmpty())
        .sorted(Comparator.comparing(Job::createdAt)).toList();
    int excess = book.size() - jobs.maxHistory();
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
      book.remove(job);
      ids.add(job.id());
    }
    JobStore store = recorder.store();
    vertx.executeBlocking(() -> {
      for (UUID id : ids) {
        store.delete(id);
      }
      return null;
    }, true).onFailure(e -> LOG.error("jobs {} left the history but their files could not be deleted: {}", ids,
        e.toString()));
  }
}
