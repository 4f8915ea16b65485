package io.linuxpatch.packages;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.LocalCodec;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.config.PackageManagerConfig;
import io.linuxpatch.contract.health.HealthCheck;
import io.linuxpatch.packages.apt.AptBackend;
import io.linuxpatch.packages.apt.AptPatches;
import io.linuxpatch.packages.apt.AptPlanner;
import io.linuxpatch.process.ProcessRunner;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private AptBackend apt;
  private AptPatches patches;
  private AptPlanner planner;
  private HealthCheck check;
  private AdvisoryFeedFile feed;

  public PackageVerticle() {
    this(ProcessRunner.create());
  }

  /** For tests: a runner that records what it starts. */
  public PackageVerticle(ProcessRunner runner) {
    this.runner = runner;
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx.eventBus(), HealthCheck.class);
    AgentConfig config = AgentConfig.parse(config()).config();
    PackageManagerConfig pm = config.packageManager();
    String unavailable = unavailableReason(pm);
    if (unavailable == null) {
      apt = new AptBackend(pm, runner);
      feed = new AdvisoryFeedFile(config.patches().advisoryFeed());
      patches = new AptPatches(apt, () -> feed.current());
      planner = new AptPlanner(apt, patches);
      check = HealthCheck.healthy("package_manager", "apt/dpkg on " + pm.root(),
          new JsonObject().put("backend", "apt").put("root", pm.root()));
    } else {
      LOG.warn("no package backend: {}; package endpoints answer 503", unavailable);
      check = HealthCheck.degraded("package_manager", unavailable,
          new JsonObject().put("backend", pm.backend()).put("root", pm.root()));
    }
    var bus = vertx.eventBus();
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_LIST, m -> answer(m, () -> apt.list(m.body())));
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_GET,
        m -> answer(m, () -> apt.details(m.body().getString("name"), m.body().getBoolean("files", false))));
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_PATCHES, m -> answer(m, () -> patches.query(m.body())));
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_PLAN, m -> answer(m, () -> planner.plan(m.body())));
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_HOLDS, m -> answer(m, () -> apt.holds(m.body())));
    bus.<JsonObject>localConsumer(Addresses.PACKAGES_KERNELS, m -> answer(m, () -> apt.kernels()));
    bus.localConsumer(Addresses.HEALTH_RESYNC, m -> publishCheck());
    LocalCodec.register(bus, AgentConfig.class);
    bus.<AgentConfig>localConsumer(Addresses.CONFIG_CHANGED, m -> {
      // The advisory feed applies on reload; the backend itself (root, env) needs a restart (restartNeededChanges).
      if (feed != null) {
        feed = new AdvisoryFeedFile(m.body().patches().advisoryFeed());
      }
    });
    publishCheck();
    return Future.succeededFuture();
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

  /** One unit of blocking work and its answer; this verticle is a worker, so blocking here is its job. */
  @FunctionalInterface
  private interface Work {
    JsonObject run() throws Exception;
  }

  private void answer(Message<JsonObject> message, Work work) {
    if (apt == null) {
      ServiceFailure.fail(message, ErrorCode.BACKEND_UNAVAILABLE, check.message());
      return;
    }
    try {
      message.reply(work.run());
    } catch (BackendRefusal refusal) {
      ServiceFailure.fail(message, refusal.code(), refusal.getMessage(), refusal.details());
    } catch (Exception e) {
      LOG.error("package request on {} failed unexpectedly", message.address(), e);
      ServiceFailure.fail(message, ErrorCode.INTERNAL_ERROR, "the package backend failed: " + e.getMessage());
    }
  }

  private void publishCheck() {
    vertx.eventBus().publish(Addresses.HEALTH_CHECK, check);
  }
}
