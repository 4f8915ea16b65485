package io.linuxpatch.jobs;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.contract.jobs.JobOperation;
import io.linuxpatch.contract.jobs.JobStatus;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up (JOB-7): the stored jobs are loaded in creation order; a job stored as running becomes failed with
 * AGENT_RESTARTED and the package database is checked (and repaired) through the backend, which also ends a
 * leftover run of it and reads back what it changed; a pending reboot is not carried out after the restart; the
 * other pending jobs keep their places. The outcomes are owed to the audit log from that moment (AUD-5).
 */
final class Recovery {

  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  private final Vertx vertx;
  private final Clock clock;
  private final JobBook book;
  private final JobRecorder recorder;
  private final OwedAudit owed;
  /** How long the database check may take: the backend's recovery budget. */
  private final Supplier<Duration> checkWithin;

  Recovery(Vertx vertx, Clock clock, JobBook book, JobRecorder recorder, OwedAudit owed, Supplier<Duration> checkWithin) {
    this.vertx = vertx;
    this.clock = clock;
    this.book = book;
    this.recorder = recorder;
    this.owed = owed;
    this.checkWithin = checkWithin;
  }

  /**
   * Loads the stored jobs into the book; a job that was running when the agent stopped is failed with
   * AGENT_RESTARTED. Returns the jobs whose database check is due.
   */
  List<Job> load(List<JsonObject> stored) {
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
      book.add(job);
      if (job.status() == JobStatus.RUNNING) {
        job.finish(JobStatus.FAILED, "the agent stopped while this job ran", JobError.AGENT_RESTARTED,
            "the agent was stopped or crashed while the job was running; what changed is in the package database",
            clock.instant());
        // AUD-5: its outcome is owed to the audit log, stored with it now, written after the database check.
        job.owe(OwedAudit.JOB_FINISHED);
        restarted.add(job);
        recorder.persist(job);
      } else if (job.status() == JobStatus.PENDING && job.operation() == JobOperation.REBOOT) {
        // A reboot asked for before the restart is not carried out after it: the restart may have been it.
        job.finish(JobStatus.FAILED, "not carried out: the agent restarted before the reboot command ran",
            JobError.AGENT_RESTARTED, "the agent restarted before this reboot ran; request it again if still needed",
            clock.instant());
        job.owe(OwedAudit.JOB_FINISHED);
        recorder.persist(job);
      } else if (job.status() == JobStatus.PENDING) {
        book.queue().add(job);
      } else if (job.owedAudit().contains(OwedAudit.JOB_FINISHED) && job.errorCode() == JobError.AGENT_RESTARTED) {
        // Interrupted before the last restart, which itself ended before the check read back the changes: again.
        restarted.add(job);
      }
      owed.track(job);
    }
    return restarted;
  }

  /**
   * JOB-7: after a crash mid-run the package manager may have left its database half done; the backend's check
   * repairs it and the job's logs say so (the backend's own lines follow).
   */
  void checkDatabase(Job job) {
    if (!job.operation().usesPackageManager()) {
      return;
    }
    owed.holdUntilChecked(job);
    // The job id lets the package verticle find the interrupted run's process group, if it still runs (issue 17).
    JsonObject request = new JsonObject().put("job_id", job.id().toString());
    if (job.plan() != null) {
      request.put("plan", job.plan());
    }
    vertx.eventBus().<JsonObject>request(Addresses.PACKAGES_CHECK_DATABASE, request,
            new DeliveryOptions().setSendTimeout(checkWithin.get().toMillis()))
        .onSuccess(reply -> {
          JsonArray changed = reply.body().getJsonArray("changes");
          if (changed != null && !changed.isEmpty()) {
            // What the interrupted run had done to its packages, read back now: it can be rolled back (JOB-8).
            job.changesAfterRestart(changed);
          }
          List<String> lines = new ArrayList<>();
          lines.add("package database check after the restart: "
              + (reply.body().getBoolean("interrupted", false)
                  ? (reply.body().getBoolean("repaired", false)
                      ? "the interrupted run left the package database half done; it has been repaired"
                      : "the interrupted run left the package database half done and it could not be repaired; "
                          + "run a repair job")
                  : "consistent"));
          reply.body().getJsonArray("logs", new JsonArray()).forEach(l -> lines.add(String.valueOf(l)));
          job.appendLogs(lines);
          recorder.persist(job);
        })
        .onFailure(e -> LOG.warn("the package database could not be checked after the restart: {}", e.getMessage()))
        // The job's outcome, with what the check read back (or without, when it could not), to the audit log.
        .onComplete(checked -> owed.checked(job));
  }
}
