package io.linuxpatch.jobs;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ServiceFailure;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUD-5: the audit records jobs owe. A job's {@code job_finished} is stored in its file ({@code audit_owed}) with
 * its final state, then sent durably with an {@code owed_key}, and removed from the file once the audit log has it;
 * a refusal (disk full) keeps it and offers it again every {@value #RETRY_MS} ms, a crash leaves it to the next
 * start. The record of an interrupted job waits until the database check has read back what the job changed.
 */
final class OwedAudit {

  /** How often owed audit records are offered again while the audit log refuses them. */
  static final long RETRY_MS = 1_000;
  /** The record every job owes once it has ended. */
  static final String JOB_FINISHED = "job_finished";

  private static final Logger LOG = LoggerFactory.getLogger(OwedAudit.class);

  private final Vertx vertx;
  private final JobBook book;
  private final JobRecorder recorder;
  /** Jobs whose audit records are owed, offered again every {@link #RETRY_MS} while refused. */
  private final Set<Job> owing = new LinkedHashSet<>();
  /** {@code owed_key}s of owed records on their way to the audit log (one copy in flight at most). */
  private final Set<String> paying = new HashSet<>();
  /** Owed keys whose refusal was logged (once, not every retry). */
  private final Set<String> refusalLogged = new HashSet<>();
  /** Interrupted jobs whose job_finished waits for the database check to read back what they changed. */
  private final Set<Job> awaitingCheck = new HashSet<>();
  private long retryTimer = -1;

  OwedAudit(Vertx vertx, JobBook book, JobRecorder recorder) {
    this.vertx = vertx;
    this.book = book;
    this.recorder = recorder;
  }

  /** {@code job} now owes {@code event}: stored with the job by its next persist. */
  void owe(Job job, String event) {
    job.owe(event);
    owing.add(job);
  }

  /** A job loaded at start that still owes records (refused, or cut off by the crash). */
  void track(Job job) {
    if (!job.owedAudit().isEmpty()) {
      owing.add(job);
    }
  }

  /** Holds the job's records back until {@link #checked} (an interrupted job, before its database check). */
  void holdUntilChecked(Job job) {
    awaitingCheck.add(job);
  }

  /** The database check of an interrupted job has ended: its records go now. */
  void checked(Job job) {
    awaitingCheck.remove(job);
    pay(job);
  }

  /** Offers every owed record (at start: those left from before the restart). */
  void payAll() {
    new ArrayList<>(owing).forEach(this::pay);
  }

  /**
   * Sends the job's owed audit records (durable, each with its {@code owed_key}, so that the audit_log check
   * counts it while refused); each one written is removed from the job file. A refusal keeps it and retries
   * every {@link #RETRY_MS}.
   */
  void pay(Job job) {
    if (awaitingCheck.contains(job)) {
      return;
    }
    EventBus bus = vertx.eventBus();
    for (String event : job.owedAudit()) {
      String key = event + ":" + job.id();
      if (!paying.add(key)) {
        continue;
      }
      bus.<JsonObject>request(Addresses.AUDIT_RECORD, owedRecord(job, event).put("durable", true).put("owed_key", key))
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
              if (book.holds(job)) {
                recorder.persist(job);
              }
            } else {
              if (refusalLogged.add(key)) {
                LOG.error("audit record {} of job {} could not be written ({}); it is kept with the job and written "
                    + "once the audit log can be written again", event, job.id(), ServiceFailure.messageOf(written.cause()));
              }
              retry();
            }
          });
    }
  }

  private void retry() {
    if (retryTimer >= 0) {
      return;
    }
    retryTimer = vertx.setPeriodic(RETRY_MS, t -> {
      if (owing.isEmpty()) {
        vertx.cancelTimer(retryTimer);
        retryTimer = -1;
        return;
      }
      payAll();
    });
  }

  /** The record of an owed event, made from the job's state now (for job_finished: its outcome and changes). */
  private static JsonObject owedRecord(Job job, String event) {
    JsonObject record = JobRecorder.auditRecord(event, job);
    if (JOB_FINISHED.equals(event)) {
      record.put("changes", job.changes())
          .put("error_code", job.errorCode() == null ? null : job.errorCode().name())
          .put("completed_at", Times.format(job.completedAt()));
    }
    return record;
  }
}
