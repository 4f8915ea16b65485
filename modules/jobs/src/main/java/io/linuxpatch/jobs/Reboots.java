package io.linuxpatch.jobs;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.contract.jobs.JobOperation;
import io.linuxpatch.contract.jobs.JobStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Reboot jobs (endpoint 10): run at once, beside the package queue (the command only schedules the reboot), through
 * SystemVerticle ({@code lpa.system.reboot}); and endpoint 8's {@code allow_reboot}, a reboot job that follows a
 * completed patch run when the host then needs one.
 */
final class Reboots {

  private final Vertx vertx;
  private final Clock clock;
  private final JobBook book;
  private final JobRecorder recorder;
  private final Consumer<Job> ended;
  /** How a follow-up reboot job is admitted (audit record and job file first, as every job). */
  private final BiFunction<Job, Job, Future<JsonObject>> admit;

  Reboots(Vertx vertx, Clock clock, JobBook book, JobRecorder recorder, Consumer<Job> ended,
      BiFunction<Job, Job, Future<JsonObject>> admit) {
    this.vertx = vertx;
    this.clock = clock;
    this.book = book;
    this.recorder = recorder;
    this.ended = ended;
    this.admit = admit;
  }

  /** Runs an admitted reboot job: its durable {@code reboot} audit record, then the reboot command. */
  void run(Job job) {
    job.start(clock.instant());
    recorder.publish(job);
    JsonObject params = job.params();
    recorder.audit(JobRecorder.auditRecord("reboot", job).put("delay_seconds", params.getInteger("delay_seconds", 0))
        .put("reason", params.getString("reason")).put("force", job.force()).put("durable", true));
    recorder.persist(job).compose(stored -> vertx.eventBus().<JsonObject>request(Addresses.SYSTEM_REBOOT,
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
            job.finish(JobStatus.FAILED, "the reboot command failed", JobError.PKG_MANAGER_ERROR,
                ServiceFailure.messageOf(reply.cause()), clock.instant());
          }
          ended.accept(job);
        });
  }

  /**
   * Endpoint 8's {@code allow_reboot}: after a completed patch run, when the host now needs a reboot, a reboot
   * job follows in the patch job's name, with its delay; unless other package jobs wait (it would be blocked).
   */
  void afterPatches(Job patches) {
    JsonObject params = patches.params();
    vertx.eventBus().<JsonObject>request(Addresses.SYSTEM_INFO, null)
        .onSuccess(info -> {
          JsonObject reboot = info.body().getJsonObject("reboot_required", new JsonObject());
          if (!reboot.getBoolean("required", false)) {
            note(patches, "allow_reboot: no reboot is needed after this patch run");
            return;
          }
          Job busy = book.busyWithPackages();
          if (busy != null) {
            note(patches, "allow_reboot: a reboot is needed but not requested, because package job "
                + busy.id() + " is " + busy.status().wire());
            return;
          }
          Job follow = new Job(UUID.randomUUID(), JobOperation.REBOOT, clock.instant(), patches.requestId(),
              patches.requestedBy(), new JsonObject()
                  .put("delay_seconds", params.getInteger("reboot_delay_seconds", 60))
                  .put("reason", "allow_reboot of patch job " + patches.id()), false, null, null, null);
          admit.apply(follow, null)
              .onSuccess(job -> note(patches, "allow_reboot: reboot job " + follow.id() + " requested"))
              .onFailure(e -> note(patches, "allow_reboot: the reboot could not be requested: " + e.getMessage()));
        })
        .onFailure(e -> note(patches, "allow_reboot: the reboot state could not be read: " + e.getMessage()));
  }

  private void note(Job job, String line) {
    job.appendLogs(List.of(line));
    recorder.persist(job);
  }
}
