package io.linuxpatch.packages;

import io.linuxpatch.packages.backend.apt.advisory.AdvisoryFeedFile;
import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.EncodedJson;
import io.linuxpatch.contract.LocalCodec;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.config.PackageManagerConfig;
import io.linuxpatch.contract.health.HealthCheck;
import io.linuxpatch.packages.backend.apt.AptBackend;
import io.linuxpatch.packages.backend.apt.AptPatches;
import io.linuxpatch.packages.backend.apt.AptPlanner;
import io.linuxpatch.packages.backend.apt.job.DatabaseCheck;
import io.linuxpatch.packages.backend.apt.job.JobExecutor;
import io.linuxpatch.packages.backend.apt.job.PackageHold;
import io.linuxpatch.process.ProcessSpec;
import io.linuxpatch.process.ProcessRunner;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the host's package manager (deployed as a worker: parsing and simulations block). Answers the
 * package, patch, plan and hold requests of the HTTP verticles and SystemVerticle's kernel request on local
 * addresses and publishes the {@code package_manager} health check. Which backend runs is decided once at start
 * ({@code package_manager.backend}); this build has the apt/dpkg backend.
 */
public final class PackageVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PackageVerticle.class);
  private static final Path APT_GET = Path.of("/usr/bin/apt-get");
  private static final Path DPKG = Path.of("/usr/bin/dpkg");

  private final ProcessRunner runner;
  private final Duration killGrace;
  private AptBackend apt;
  private JobExecutor jobs;
  /** How often the package gauges are recomputed, besides after every job (MET-1). */
  private static final long METERS_PERIOD_MS = 60_000;
  private PackageMeters meters;
  private String pmRoot;
  private DatabaseCheck databaseCheck;
  private PackageHold holds;
  private AptPatches patches;
  private AptPlanner planner;
  private HealthCheck check;
  private AdvisoryFeedFile feed;

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
    AgentConfig config = AgentConfig.parse(config()).config();
    PackageManagerConfig pm = config.packageManager();
    String unavailable = unavailableReason(pm);
    if (unavailable == null) {
      apt = new AptBackend(pm, runner);
      pmRoot = pm.root();
      feed = new AdvisoryFeedFile(config.patches().advisoryFeed());
      patches = new AptPatches(apt, () -> feed.current());
      planner = new AptPlanner(apt, patches);
      jobs = new JobExecutor(vertx, context, apt, planner, pm, runner, killGrace);
      databaseCheck = new DatabaseCheck(pm, runner);
      holds = new PackageHold(apt, pm, runner);
      check = HealthCheck.healthy("package_manager", "apt/dpkg on " + pm.root(),
          new JsonObject().put("backend", "apt").put("root", pm.root()));
    } else {
      LOG.warn("no package backend: {}; package endpoints answer 503", unavailable);
      check = HealthCheck.degraded("package_manager", unavailable,
          new JsonObject().put("backend", pm.backend()).put("root", pm.root()));
    }
    var bus = vertx.eventBus();
    LocalCodec.register(bus, EncodedJson.class);
    // Answered pre-encoded: unchanged listings are serialized once, not per request (issue 7).
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_LIST, m -> answer(m, () -> apt.listEncoded(m.body())));
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_GET,
        m -> answer(m, () -> apt.details(m.body().getString("name"), m.body().getBoolean("files", false))));
    // Patches and plans run apt's simulation, which takes seconds on a host with 100,000 packages (issue 20):
    // they run beside this context, so that listings and details are never queued behind them.
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_PATCHES, m -> answerAside(m, () -> patches.query(m.body())));
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_PLAN, m -> answerAside(m, () -> planner.plan(m.body())));
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_HOLDS, m -> answer(m, () -> apt.holds(m.body())));
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_KERNELS, m -> answer(m, () -> apt.kernels()));
    // Jobs (JOB-*): execute replies when the run has ended, but returns the worker at once after starting it.
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_EXECUTE, this::execute);
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_CANCEL, m -> answer(m, () -> jobs.cancel(m.body())));
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_CHECK_DATABASE, m -> answer(m, () -> checkDatabase(m.body())));
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_HOLD, m -> answer(m, () -> hold(m.body())));
    bus.localConsumer(Addresses.HEALTH_RESYNC, m -> publishCheck());
    LocalCodec.register(bus, AgentConfig.class);
    bus.<AgentConfig>localConsumer(Addresses.CONFIG_CHANGED, m -> {
      // The advisory feed applies on reload; the backend itself (root, env) needs a restart (restartNeededChanges).
      if (feed != null) {
        feed = new AdvisoryFeedFile(m.body().patches().advisoryFeed());
      }
    });
    publishCheck();
    if (apt != null) {
      meters = new PackageMeters();
      // Counted right after start, not during it: reading the inventory and the patches takes from a few hundred
      // milliseconds to seconds (a real-scale host, issue 20) that the API's start-up need not wait for. Beside
      // this context, like the patches: the first listing then waits for the inventory only, not for apt's
      // simulation of the patches.
      refreshMetersAside();
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
        meters.refresh(apt, patches);
      } catch (IOException | RuntimeException e) {
        LOG.warn("package metrics could not be refreshed: {}", e.toString());
      }
      return null;
    }, false);
  }

  /** Why no backend can run here, or null when apt/dpkg can. */
  private static String unavailableReason(PackageManagerConfig pm) {
    switch (pm.backend()) {
      case "none":
        return "package_manager.backend is none";
      case "dnf", "pacman", "apk":
        return "the " + pm.backend() + " backend is not part of this build (apt/dpkg only)";
      default:
        break;
    }
    if (!Files.isExecutable(APT_GET) || !Files.isExecutable(DPKG)) {
      return "apt-get and dpkg are not installed on this host (" + APT_GET + ", " + DPKG + ")";
    }
    if (!"/".equals(pm.root()) && !pm.env().containsKey("APT_CONFIG")) {
      // Only APT_CONFIG isolates apt from the host's configuration: without it listings would come from the
      // root while plans came from the host.
      return "package_manager.root is " + pm.root() + " but package_manager.env has no APT_CONFIG for it";
    }
    if (!Files.isRegularFile(Path.of(pm.root()).resolve("var/lib/dpkg/status"))) {
      return "no dpkg database under package_manager.root " + pm.root();
    }
    return null;
  }

  private void execute(Message<JsonObject> message) {
    if (jobs == null) {
      // The contract's reply is always an outcome; without a backend the job fails as the package manager's error.
      message.reply(new JsonObject().put("outcome", "failed").put("exit_code", (Integer) null)
          .put("error_code", "PKG_MANAGER_ERROR").put("error", check.message())
          .put("changes", new io.vertx.core.json.JsonArray()).put("logs", new io.vertx.core.json.JsonArray())
          .put("plan", (JsonObject) null));
      return;
    }
    jobs.execute(message);
  }

  /** Checks (and repairs) dpkg; with the plan of an interrupted job, also what that job changed (JOB-7). */
  private JsonObject checkDatabase(JsonObject body) throws IOException {
    JsonObject result = databaseCheck.run();
    JsonObject plan = body == null ? null : body.getJsonObject("plan");
    if (plan != null) {
      java.nio.file.Path status = java.nio.file.Path.of(pmRoot).resolve("var/lib/dpkg/status");
      result.put("changes", io.linuxpatch.packages.backend.apt.job.PackageSnapshot.read(status)
          .only(io.linuxpatch.packages.backend.apt.job.PackageSnapshot.namesOf(plan))
          .changesSince(io.linuxpatch.packages.backend.apt.job.PackageSnapshot.beforePlan(plan)));
    }
    return result;
  }

  private JsonObject hold(JsonObject body) throws Exception {
    JsonObject request = body == null ? new JsonObject() : body;
    if (!(request.getValue("hold") instanceof Boolean hold) || !(request.getValue("name") instanceof String name)) {
      throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "a hold request needs a \"name\" and a boolean \"hold\"",
          new JsonObject().put("field", "hold"));
    }
    return holds.apply(name, hold);
  }

  /** One unit of blocking work and its answer; this verticle is a worker, so blocking here is its job. */
  @FunctionalInterface
  private interface Work {
    Object run() throws Exception;
  }

  private void answer(Message<JsonObject> message, Work work) {
    if (apt == null) {
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
   * child process. What it touches is safe from any thread: the inventory cache and the patch list are
   * synchronized, plans are computed from them.
   */
  private void answerAside(Message<JsonObject> message, Work work) {
    if (apt == null) {
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
