package io.linuxpatch.jobs;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.contract.jobs.JobStatus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * JOB-8's reservation on the job being rolled back: which jobs may be rolled back (finished, changed packages, not
 * already rolled back by a rollback that counts), and the mark a rollback leaves on its target from its admission
 * on, so that a second rollback arriving while the first is being stored is refused.
 */
final class Rollbacks {

  private final JobBook book;

  Rollbacks(JobBook book) {
    this.book = book;
  }

  /**
   * The job {@code id} when it may be rolled back; otherwise null after failing {@code message} with
   * JOB_NOT_FOUND or JOB_NOT_ROLLBACKABLE.
   */
  Job target(Message<JsonObject> message, String id) {
    Job target = book.findOrFail(message, id);
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
    } else if (target.rolledBackBy() != null && stillCounts(target.rolledBackBy())) {
      refusal = "job " + id + " is already rolled back by job " + target.rolledBackBy();
    }
    if (refusal != null) {
      ServiceFailure.fail(message, ErrorCode.JOB_NOT_ROLLBACKABLE, refusal, new JsonObject().put("job_id", id));
      return null;
    }
    return target;
  }

  /** Marks {@code target} as rolled back by {@code rollback}, now rather than after the two fsyncs. */
  void reserve(Job target, Job rollback, Instant now) {
    target.rolledBackBy(rollback.id(), now);
  }

  /** Takes the mark back when {@code rollback} was not admitted after all. */
  void release(Job target, Job rollback, Instant now) {
    if (target != null && rollback.id().equals(target.rolledBackBy())) {
      target.rolledBackBy(null, now);
    }
  }

  /** A rollback that failed before changing anything does not stop another attempt. */
  private boolean stillCounts(UUID rollback) {
    Job job = book.find(rollback.toString());
    // Deleting a rollback from the history does not undo what it did.
    return job == null || !job.status().isFinal() || job.status() == JobStatus.COMPLETED || !job.changes().isEmpty();
  }
}
