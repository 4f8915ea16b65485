package io.linuxpatch.jobs;

import io.linuxpatch.contract.config.JobsConfig;
import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.contract.jobs.JobStatus;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * When package jobs run (JOB-4, maintenance windows): one at a time, in submission order, the next started as soon
 * as none runs and the window is open; outside the window only forced jobs run, and the others wait with a message
 * naming the opening. A started job is stored as running before its package manager starts.
 */
final class Scheduler {

  private final Vertx vertx;
  private final Clock clock;
  private final JobBook book;
  private final JobRecorder recorder;
  private final PackageRuns runs;
  private final Consumer<Job> ended;
  private MaintenanceSchedule windows = MaintenanceSchedule.of(List.of());
  private long windowTimer = -1;

  Scheduler(Vertx vertx, Clock clock, JobBook book, JobRecorder recorder, PackageRuns runs, Consumer<Job> ended) {
    this.vertx = vertx;
    this.clock = clock;
    this.book = book;
    this.recorder = recorder;
    this.runs = runs;
    this.ended = ended;
  }

  /** Applies {@code jobs.maintenance_windows} (at start and on every reload). */
  void configure(JobsConfig config) {
    windows = MaintenanceSchedule.of(config.windows());
  }

  /** Starts the next package job when none runs and the maintenance window (if any) is open. */
  void schedule() {
    if (book.running() != null || book.queue().isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    // Outside the maintenance window only forced jobs run, the first of them in submission order; the others
    // keep their places and wait for the window.
    Job next = windows.isOpen(now) ? book.queue().peek()
        : book.queue().stream().filter(Job::force).findFirst().orElse(null);
    if (next == null) {
      waitForWindow(now);
      return;
    }
    book.queue().remove(next);
    book.running(next);
    next.start(now);
    recorder.publish(next);
    recorder.audit(JobRecorder.auditRecord("job_started", next));
    recorder.publishHealth();
    // Persisted as running before the package manager starts: a crash from here on is seen at start-up. A job
    // whose running state cannot be stored does not run (after a crash it would run a second time).
    recorder.persist(next)
        .onSuccess(stored -> runs.execute(next))
        .onFailure(e -> {
          next.finish(JobStatus.FAILED, "not started: the job store cannot be written", JobError.PKG_MANAGER_ERROR,
              "the job's running state could not be stored (" + e.getMessage() + "), so it was not started",
              clock.instant());
          ended.accept(next);
        });
  }

  private void waitForWindow(Instant now) {
    Instant opens = windows.nextOpening(now);
    String text = "waiting for the maintenance window opening at " + Times.format(opens)
        + " (jobs.maintenance_windows); send \"force\": true to run outside it";
    for (Job pending : book.queue()) {
      if (!pending.force() && !text.equals(pending.message())) {
        pending.waiting(text, now);
        recorder.publish(pending);
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
}
