package io.linuxpatch.system;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.LocalCodec;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.config.SystemConfig;
import io.linuxpatch.contract.health.HealthCheck;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers what the host is (endpoint 9, with whether a reboot is wanted and which processes run deleted
 * files) and how its services are doing (endpoint 17), and owns the "disk" and "reboot" health checks.
 * Deploy it as a worker verticle: OSHI and /proc reads block.
 */
public final class SystemVerticle extends VerticleBase {

  /** How often the disk check is re-measured and published. */
  static final long HEALTH_PERIOD_MS = 10_000;
  /** How often the "reboot" check is re-assessed: kernels and the flag file change only when packages do. */
  static final long REBOOT_CHECK_PERIOD_MS = 60_000;
  /**
   * How long system info waits for PackageVerticle's kernel list. PackageVerticle is one worker that may be
   * busy with a simulation for minutes; system info answers without the newest kernel rather than wait.
   */
  static final long KERNELS_TIMEOUT_MS = 2_000;

  private static final Logger LOG = LoggerFactory.getLogger(SystemVerticle.class);

  private final HostPaths paths;
  private final ProcessRunner runner;
  private final DeletedFileUsers deletedFileUsers;
  private SystemFacts facts;
  private SystemConfig system;
  private String dataDir;
  private long healthTimer = -1;
  private long rebootTimer = -1;
  /** MET-1's lpa_reboot_required, as last assessed by the periodic reboot check. */
  private final AtomicInteger rebootRequired = new AtomicInteger();

  /** The production verticle: the host's real files and service managers. */
  public SystemVerticle() {
    this(HostPaths.standard(), ProcessRunner.create());
  }

  public SystemVerticle(HostPaths paths, ProcessRunner runner) {
    this(paths, runner, DeletedFileUsers.standard());
  }

  /** For tests: a restart scanner with its own /proc prefixes. */
  SystemVerticle(HostPaths paths, ProcessRunner runner, DeletedFileUsers deletedFileUsers) {
    this.paths = Objects.requireNonNull(paths, "paths");
    this.runner = Objects.requireNonNull(runner, "runner");
    this.deletedFileUsers = Objects.requireNonNull(deletedFileUsers, "deletedFileUsers");
  }

  @Override
  public Future<?> start() {
    apply(AgentConfig.parse(config()).config());
    facts = new SystemFacts(paths);
    EventBus bus = vertx.eventBus();
    LocalCodec.register(bus, HealthCheck.class);
    LocalCodec.register(bus, AgentConfig.class);

    List<MessageConsumer<?>> consumers = List.of(
        bus.<Object>localConsumer(Addresses.SYSTEM_INFO, this::info),
        bus.<Object>localConsumer(Addresses.SYSTEM_SERVICE, this::service),
        bus.<JsonObject>localConsumer(Addresses.SYSTEM_REBOOT, this::reboot),
        bus.<Object>localConsumer(Addresses.HEALTH_RESYNC, message -> {
          publishDisk();
          publishReboot();
        }),
        bus.<AgentConfig>localConsumer(Addresses.CONFIG_CHANGED, this::configChanged));
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry != null) {
      Gauge.builder("lpa_reboot_required", rebootRequired, AtomicInteger::get)
          .description("1 when the host needs a reboot (reboot-required file or a newer installed kernel)")
          .register(registry);
    }
    healthTimer = vertx.setPeriodic(HEALTH_PERIOD_MS, id -> publishDisk());
    rebootTimer = vertx.setPeriodic(REBOOT_CHECK_PERIOD_MS, id -> publishReboot());

    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .onSuccess(ready -> {
          publishDisk();
          publishReboot();
          LOG.info("system facts ready: {} {} ({}), reboot-required file {}, data directory {}",
              facts.osRelease().name(), facts.osRelease().versionId(), facts.osRelease().id(),
              system.rebootRequiredFile(), dataDir);
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(healthTimer);
    vertx.cancelTimer(rebootTimer);
    return Future.succeededFuture();
  }

  /**
   * Endpoint 10 as run by the reboot job: {@code system.reboot_command} with the delay, no shell. The
   * command only schedules the reboot (shutdown's own delay), so this returns at once.
   */
  private void reboot(Message<JsonObject> message) {
    List<String> argv = RebootCommand.argv(system.rebootCommand(), message.body().getInteger("delay_seconds", 0));
    LOG.warn("reboot requested (reason: {}): running {}", message.body().getString("reason"), argv);
    try {
      ProcessResult result = runner.run(ProcessSpec.of(argv).withTimeout(Duration.ofMinutes(1)));
      if (!result.succeeded()) {
        ServiceFailure.fail(message, ErrorCode.SERVICE_UNAVAILABLE, "the reboot command " + argv + " exited with "
            + result.exitCode() + ": " + result.stderr().text().trim());
        return;
      }
      message.reply(new JsonObject().put("exit_code", result.exitCode()).put("command", new JsonArray(argv)));
    } catch (RuntimeException e) {
      ServiceFailure.fail(message, ErrorCode.SERVICE_UNAVAILABLE, "the reboot command " + argv + " could not run: "
          + e.getMessage());
    }
  }

  private void info(Message<Object> message) {
    // The reply comes back on this worker's context, where the /proc scan and OSHI calls may block.
    rebootStatus().onComplete(reboot -> {
      try {
        if (reboot.failed()) {
          throw new IllegalStateException("assessing the reboot state failed", reboot.cause());
        }
        message.reply(facts.collect(reboot.result(), deletedFileUsers.current()));
      } catch (RuntimeException e) {
        LOG.error("collecting system facts failed; GET /api/v1/system/info answers 500 until this is fixed", e);
        ServiceFailure.fail(message, ErrorCode.INTERNAL_ERROR, "collecting system facts failed");
      }
    });
  }

  /**
   * The flag file and the kernel comparison (PKG-4). Never fails for want of a package backend: without
   * PackageVerticle's answer within {@link #KERNELS_TIMEOUT_MS} the newest installed kernel is unknown (null).
   */
  private Future<RebootStatus> rebootStatus() {
    return vertx.eventBus()
        .<JsonObject>request(Addresses.PACKAGES_KERNELS, null, new DeliveryOptions().setSendTimeout(KERNELS_TIMEOUT_MS))
        .map(reply -> reply.body() == null ? null : reply.body().getString("newest"))
        .otherwise(failure -> {
          // No backend (backend none, no apt) is a normal configuration; a timeout means PackageVerticle is busy.
          LOG.debug("newest installed kernel unknown: {}", failure.getMessage());
          return null;
        })
        .map(newest -> new RebootStatus(RebootRequired.read(Path.of(system.rebootRequiredFile())), facts.kernel(),
            newest));
  }

  private void service(Message<Object> message) {
    String name = message.body() instanceof JsonObject body && body.getValue("name") instanceof String s ? s : null;
    if (!UnitName.isValid(name)) {
      ServiceFailure.fail(message, ErrorCode.INVALID_REQUEST, "the service name must be 1 to 256 letters, "
          + "digits or @._:- characters and must not start with '-'");
      return;
    }
    ServiceQuery query = ServiceQuery.detect(paths, runner);
    // The child runs on the process runner's threads; the answer comes back to this verticle's context.
    Future.fromCompletionStage(query.query(new UnitName(name)), context).onComplete(done -> {
      if (done.succeeded()) {
        message.reply(done.result().toJson());
        return;
      }
      Throwable cause = done.cause() instanceof CompletionException ce && ce.getCause() != null
          ? ce.getCause() : done.cause();
      if (cause instanceof ServiceQueryException failure) {
        if (failure.code().httpStatus() >= 500) {
          LOG.warn("service state of {} unavailable: {}", name, failure.getMessage());
        }
        ServiceFailure.fail(message, failure.code(), failure.getMessage());
      } else {
        LOG.error("reading the state of service {} failed unexpectedly", name, cause);
        ServiceFailure.fail(message, ErrorCode.INTERNAL_ERROR, "reading the service state failed");
      }
    });
  }

  private void configChanged(Message<AgentConfig> message) {
    String previousDataDir = dataDir;
    apply(message.body());
    if (!Objects.equals(previousDataDir, dataDir)) {
      publishDisk();
    }
  }

  private void apply(AgentConfig config) {
    system = config.system();
    dataDir = config.dataDir();
  }

  private void publishDisk() {
    vertx.eventBus().publish(Addresses.HEALTH_CHECK, DiskCheck.measure(dataDir));
  }

  private void publishReboot() {
    rebootStatus()
        .onSuccess(status -> {
          rebootRequired.set(status.required() ? 1 : 0);
          vertx.eventBus().publish(Addresses.HEALTH_CHECK, status.healthCheck());
        })
        .onFailure(e -> LOG.warn("the reboot health check could not be assessed: {}", e.toString()));
  }
}
