package io.linuxpatch.packages;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.EncodedJson;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.ListPage;
import io.linuxpatch.contract.LocalCodec;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.config.PackageManagerConfig;
import io.linuxpatch.contract.health.HealthCheck;
import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.contract.jobs.JobOutcome;
import io.linuxpatch.packages.backend.BackendRegistry;
import io.linuxpatch.packages.backend.PackageBackend;
import io.linuxpatch.packages.job.JobExecutor;
import io.linuxpatch.packages.job.PackageSnapshot;
import io.linuxpatch.packages.job.RunningGroupRecord;
import io.linuxpatch.packages.plan.Patches;
import io.linuxpatch.packages.plan.Planner;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the host's package manager (deployed as a worker: reads and simulations block). Answers the package,
 * patch, plan and hold requests of the HTTP verticles, SystemVerticle's kernel request and the JobVerticle's job
 * requests on local addresses, and publishes the {@code package_manager} health check. Which backend runs is
 * decided once at start ({@code package_manager.backend}, {@link BackendRegistry}); everything here is the same
 * for every backend.
 */
public final class PackageVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PackageVerticle.class);
  /** How often the package gauges are recomputed, besides after every job (MET-1). */
  private static final long METERS_PERIOD_MS = 60_000;
  /** When the gauges are first counted: after the start-up (see start). */
  private static final long METERS_FIRST_DELAY_MS = 10_000;

  private final ProcessRunner runner;
  private final Duration killGrace;
  private PackageBackend backend;
  private Planner planner;
  private JobExecutor jobs;
  private RunningGroupRecord groupRecord;
  private PackageMeters meters;
  private HealthCheck check;

  public PackageVerticle() {
    this(ProcessRunner.create());
  }

  /** For tests: a runner that records what it starts. */
  public PackageVerticle(ProcessRunner runner) {
    this(runner, ProcessSpec.DEFAULT_KILL_GRACE);
  }

  /** For tests: also the time between SIGTERM and SIGKILL when a job is cancelled or times out (JOB-5: 10 s). */
  public PackageVerticle(ProcessRunner runner, Duration killGrace) {
    this.runner = runner;
    this.killGrace = killGrace;
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx.eventBus(), HealthCheck.class);
    LocalCodec.register(vertx.eventBus(), JobOutcome.class);
    AgentConfig config = AgentConfig.parse(config()).config();
    PackageManagerConfig pm = config.packageManager();
    BackendRegistry.Choice choice = BackendRegistry.choose(config, runner);
    backend = choice.backend();
    if (backend != null) {
      planner = new Planner(backend);
      groupRecord = new RunningGroupRecord(config.dataDir() == null ? null : Path.of(config.dataDir()));
      jobs = new JobExecutor(vertx, context, backend, planner, runner, killGrace, groupRecord);
      check = HealthCheck.healthy("package_manager", backend.description(),
          new JsonObject().put("backend", choice.name()).put("root", pm.root()));
    } else {
      LOG.warn("no package backend: {}; package endpoints answer 503", choice.unavailable());
      check = HealthCheck.degraded("package_manager", choice.unavailable(),
          new JsonObject().put("backend", choice.name()).put("root", pm.root()));
    }
    var bus = vertx.eventBus();
    LocalCodec.register(bus, EncodedJson.class);
    // Answered pre-encoded: unchanged listings are serialized once, not per request (issue 7).
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_LIST, m -> answer(m, () -> backend.list(m.body())));
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_GET,
        m -> answer(m, () -> backend.details(m.body().getString("name"), m.body().getBoolean("files", false))));
    // Patches and plans run the package manager's simulation, which takes seconds on a host with 100,000
    // packages (issue 20): they run beside this context, so that listings and details never queue behind them.
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_PATCHES,
        m -> answerAside(m, () -> Patches.query(backend.patches(), m.body())));
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_PLAN, m -> answerAside(m, () -> planner.plan(m.body())));
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_HOLDS, m -> answer(m, () -> holds(m.body())));
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_KERNELS, m -> answer(m, () -> backend.kernels()));
    // Jobs (JOB-*): execute replies when the run has ended, but returns the worker at once after starting it.
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_EXECUTE, this::execute);
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_CANCEL, m -> answer(m, () -> jobs.cancel(m.body())));
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_RECOVERY_BUDGET, m -> answer(m, () -> new JsonObject()
        .put("recovery_seconds", backend.recoveryBudget().plus(killGrace).toSeconds())));
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_CHECK_DATABASE, m -> answer(m, () -> checkDatabase(m.body())));
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_HOLD, m -> answer(m, () -> hold(m.body())));
    bus.localConsumer(Addresses.HEALTH_RESYNC, m -> publishCheck());
    LocalCodec.register(bus, AgentConfig.class);
    bus.<AgentConfig>localConsumer(Addresses.CONFIG_CHANGED, m -> {
      if (backend != null) {
        backend.reconfigure(m.body());
      }
    });
    publishCheck();
    if (backend != null) {
      meters = new PackageMeters();
      // The inventory is read now, beside this context, so that the first listing finds it ready (a second or so
      // on a real-scale host); the patches, which need the package manager's own simulation (seconds of CPU on
      // 100,000 packages, issue 20), only once the agent has started and answered its first requests: both
      // compete with the start-up for the host's cores.
      vertx.executeBlocking(backend::installedCount, false)
          .onFailure(e -> LOG.warn("the package inventory could not be read: {}", e.toString()));
      vertx.setTimer(METERS_FIRST_DELAY_MS, t -> refreshMetersAside());
      vertx.setPeriodic(METERS_PERIOD_MS, t -> refreshMetersAside());
      bus.<JsonObject>localConsumer(Addresses.JOB_EVENTS, m -> {
        if ("job_complete".equals(m.body().getString("type"))) {
          refreshMetersAside();
        }
      });
    }
    return Future.succeededFuture();
  }

  private void refreshMetersAside() {
    vertx.executeBlocking(() -> {
      try {
        meters.refresh(backend);
      } catch (IOException | RuntimeException e) {
        LOG.warn("package metrics could not be refreshed: {}", e.toString());
      }
      return null;
    }, false);
  }

  /** {@code GET /api/v1/holds}: by name, API-6 paging. */
  private JsonObject holds(JsonObject paging) throws IOException {
    List<JsonObject> sorted = new ArrayList<>(backend.holds());
    sorted.sort(Comparator.comparing(h -> h.getString("name")));
    if ("desc".equals(paging.getString("order"))) {
      Collections.reverse(sorted);
    }
    return ListPage.of("holds", sorted, paging, hold -> hold);
  }

  private void execute(Message<JsonObject> message) {
    if (jobs == null) {
      // The contract's reply is always an outcome; without a backend the job fails as the package manager's error.
      message.reply(JobOutcome.failed(JobError.PKG_MANAGER_ERROR, check.message()));
      return;
    }
    jobs.execute(message);
  }

  /**
   * Checks (and repairs) the database; for an interrupted job ({@code job_id}), first waits for or ends its
   * package manager if it still runs in its own session (issue 17), and with its plan also reads back what that
   * job changed (JOB-7).
   */
  private JsonObject checkDatabase(JsonObject body) throws IOException {
    List<String> leftover = body == null || body.getString("job_id") == null ? List.of()
        : groupRecord.endLeftover(body.getString("job_id"), killGrace);
    JsonObject result = backend.checkDatabase();
    if (!leftover.isEmpty()) {
      JsonArray logs = new JsonArray(new ArrayList<>(leftover));
      result.getJsonArray("logs", new JsonArray()).forEach(logs::add);
      result.put("logs", logs);
    }
    JsonObject plan = body == null ? null : body.getJsonObject("plan");
    if (plan != null) {
      result.put("changes", backend.snapshot().only(PackageSnapshot.namesOf(plan))
          .changesSince(PackageSnapshot.beforePlan(plan, backend.versionOrder())));
    }
    return result;
  }

  private JsonObject hold(JsonObject body) throws Exception {
    JsonObject request = body == null ? new JsonObject() : body;
    if (!(request.getValue("hold") instanceof Boolean hold) || !(request.getValue("name") instanceof String name)) {
      throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "a hold request needs a \"name\" and a boolean \"hold\"",
          new JsonObject().put("field", "hold"));
    }
    return backend.hold(name, hold);
  }

  /** One unit of blocking work and its answer; this verticle is a worker, so blocking here is its job. */
  @FunctionalInterface
  private interface Work {
    Object run() throws Exception;
  }

  private void answer(Message<JsonObject> message, Work work) {
    if (backend == null) {
      ServiceFailure.fail(message, ErrorCode.BACKEND_UNAVAILABLE, check.message());
      return;
    }
    try {
      message.reply(work.run());
    } catch (Exception e) {
      fail(message, e);
    }
  }

  /**
   * {@link #answer} on a thread of the worker pool rather than this verticle's context, for work that waits for a
   * child process. What it touches is safe from any thread (backends' reads are).
   */
  private void answerAside(Message<JsonObject> message, Work work) {
    if (backend == null) {
      ServiceFailure.fail(message, ErrorCode.BACKEND_UNAVAILABLE, check.message());
      return;
    }
    vertx.executeBlocking(work::run, false).onComplete(done -> {
      if (done.succeeded()) {
        message.reply(done.result());
      } else {
        fail(message, done.cause());
      }
    });
  }

  private static void fail(Message<JsonObject> message, Throwable e) {
    if (e instanceof BackendRefusal refusal) {
      ServiceFailure.fail(message, refusal.code(), refusal.getMessage(), refusal.details());
    } else {
      LOG.error("package request on {} failed unexpectedly", message.address(), e);
      ServiceFailure.fail(message, ErrorCode.INTERNAL_ERROR, "the package backend failed: " + e.getMessage());
    }
  }

  private void publishCheck() {
    vertx.eventBus().publish(Addresses.HEALTH_CHECK, check);
  }
}
