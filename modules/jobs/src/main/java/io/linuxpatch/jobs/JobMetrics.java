package io.linuxpatch.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.micrometer.backends.BackendRegistries;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * MET-1's job meters: jobs by operation and final status, job duration, queue depth and running jobs. A
 * no-op when metrics are disabled (no registry).
 */
final class JobMetrics {

  private final MeterRegistry registry;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();

  JobMetrics() {
    this.registry = BackendRegistries.getDefaultNow();
    if (registry != null) {
      Gauge.builder("lpa_job_queue_depth", pending, AtomicInteger::get)
          .description("Package jobs waiting to run").register(registry);
      Gauge.builder("lpa_jobs_running", running, AtomicInteger::get)
          .description("Jobs running now").register(registry);
    }
  }

  void queue(int pendingJobs, int runningJobs) {
    pending.set(pendingJobs);
    running.set(runningJobs);
  }

  void finished(Job job, Duration took) {
    if (registry == null) {
      return;
    }
    Counter.builder("lpa_jobs").description("Jobs that ended, by operation and final status")
        .tag("operation", job.operation().wire()).tag("status", job.status().wire())
        .register(registry).increment();
    Timer.builder("lpa_job_duration").description("Time from start to end of a job")
        .tag("operation", job.operation().wire())
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(50)).maximumExpectedValue(Duration.ofHours(1))
        .register(registry).record(took);
  }
}
