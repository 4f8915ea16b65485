package io.linuxpatch.jobs;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.LocalCodec;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.config.JobsConfig;
import io.linuxpatch.contract.health.HealthCheck;
import io.linuxpatch.contract.jobs.JobOperation;
import io.linuxpatch.contract.jobs.JobOutcome;
import io.linuxpatch.contract.jobs.JobStatus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every job (JOB-1 to JOB-9). Deployed as a standard verticle: all job state lives on its one event-loop
 * context, so it needs no locks; file I/O goes to ordered blocking tasks, never the event loop. The work is done by
 * parts named after their jobs, each a plain object called on this context: {@link Admission} (with
 * {@link Rollbacks}' reservation and the {@link IdempotencyIndex}), {@link Scheduler}, {@link PackageRuns} and
 * {@link Reboots} (execution), {@link History}, {@link Recovery} (start-up) and {@link OwedAudit} (AUD-5), over the
 * shared {@link JobBook} and {@link JobRecorder}. This class wires them, registers the consumers and ends jobs.
 */
public final class JobVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(JobVerticle.class);
  private static final long RETENTION_PERIOD_MS = Duration.ofHours(1).toMillis();

  private final Clock clock;
  private final JobBook book = new JobBook();
  private JobsConfig config;
  private JobRecorder recorder;
  private OwedAudit owed;
  private Scheduler scheduler;
  private Reboots reboots;

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
    config = agent.jobs();
    JobStore store = new JobStore(Path.of(agent.dataDir()).resolve("jobs"));
    recorder = new JobRecorder(vertx, store, new JobMetrics(), book, () -> config);
    owed = new OwedAudit(vertx, book, recorder);
    PackageRuns runs = new PackageRuns(vertx, clock, book, recorder, () -> config, this::ended);
    scheduler = new Scheduler(vertx, clock, book, recorder, runs, this::ended);
    scheduler.configure(config);
    Admission admission = new Admission(vertx, clock, book, recorder, new Rollbacks(book), () -> config,
        this::accepted);
    reboots = new Reboots(vertx, clock, book, recorder, this::ended, admission::admit);
    History history = new History(vertx, clock, book, recorder, runs, () -> config, this::ended);
    Recovery recovery = new Recovery(vertx, clock, book, recorder, owed, runs::recoveryBudget);
    EventBus bus = vertx.eventBus();
    LocalCodec.register(bus, HealthCheck.class);
    LocalCodec.register(bus, AgentConfig.class);
    LocalCodec.register(bus, JobOutcome.class);
    return vertx.executeBlocking(() -> {
      store.open();
      return store.loadAll();
    }).compose(stored -> runs.askRecoveryBudget().map(stored)).map(stored -> {
      List<Job> restarted = recovery.load(stored);
      bus.<JsonObject>localConsumer(Addresses.JOBS_SUBMIT, admission::submit);
      bus.<JsonObject>localConsumer(Addresses.JOBS_LIST, history::list);
      bus.<JsonObject>localConsumer(Addresses.JOBS_GET, history::get);
      bus.<JsonObject>localConsumer(Addresses.JOBS_DELETE, history::delete);
      bus.<JsonObject>localConsumer(Addresses.JOBS_PROGRESS, runs::progress);
      bus.localConsumer(Addresses.HEALTH_RESYNC, m -> recorder.publishHealth());
      bus.<AgentConfig>localConsumer(Addresses.CONFIG_CHANGED, m -> {
        config = m.body().jobs();
        scheduler.configure(config);
        scheduler.schedule();
      });
      vertx.setPeriodic(RETENTION_PERIOD_MS, t -> history.applyRetention());
      history.applyRetention();
      restarted.forEach(recovery::checkDatabase);
      // Records owed from before the restart (refused, or cut off by the crash) go now, but those of interrupted
      // jobs, which go once the check has read back their changes.
      owed.payAll();
      recorder.publishHealth();
      scheduler.schedule();
      LOG.info("job store {}: {} job(s) loaded, {} pending, {} interrupted by the last stop",
          store.directory(), book.size(), book.queue().size(), restarted.size());
      return null;
    });
  }

  /** An admitted job: a package job joins the queue, a reboot runs at once beside it. */
  private void accepted(Job job) {
    if (job.operation().usesPackageManager()) {
      book.queue().add(job);
      scheduler.schedule();
    } else {
      reboots.run(job);
    }
  }

  /** A job reached its final state: stored, told, audited (owed until written), counted; the next one starts. */
  private void ended(Job job) {
    if (book.running() == job) {
      book.running(null);
    }
    // AUD-1: every job state change and every package change; durable because it is the only record of what the
    // job did to the host. Owed (AUD-5) until the audit log has it: stored with the job's final state, so that a
    // refusal (disk full) or a crash before the write leaves it to be written later, not lost.
    owed.owe(job, OwedAudit.JOB_FINISHED);
    recorder.persist(job);
    recorder.publish(job);
    owed.pay(job);
    recorder.finished(job);
    recorder.publishHealth();
    scheduler.schedule();
    if (job.operation() == JobOperation.PATCH_APPLY && job.status() == JobStatus.COMPLETED
        && job.params().getBoolean("allow_reboot", false)) {
      reboots.afterPatches(job);
    }
  }
}
