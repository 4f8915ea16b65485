package io.linuxpatch.system;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.LocalCodec;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.config.SystemConfig;
import io.linuxpatch.contract.health.HealthCheck;
import io.linuxpatch.process.ProcessRunner;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers what the host is (endpoint 9) and how its services are doing (endpoint 17), and owns the "disk"
 * health check. Deploy it as a worker verticle: OSHI and /proc reads block.
 */
public final class SystemVerticle extends VerticleBase {

  /** How often the disk check is re-measured and published. */
  static final long HEALTH_PERIOD_MS = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(SystemVerticle.class);

  private final HostPaths paths;
  private final ProcessRunner runner;
  private SystemFacts facts;
  private SystemConfig system;
  private String dataDir;
  private long healthTimer = -1;

  /** The production verticle: the host's real files and service managers. */
  public SystemVerticle() {
    this(HostPaths.standard(), ProcessRunner.create());
  }

  public SystemVerticle(HostPaths paths, ProcessRunner runner) {
    this.paths = Objects.requireNonNull(paths, "paths");
    this.runner = Objects.requireNonNull(runner, "runner");
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
        bus.<Object>localConsumer(Addresses.HEALTH_RESYNC, message -> publishDisk()),
        bus.<AgentConfig>localConsumer(Addresses.CONFIG_CHANGED, this::configChanged));
    healthTimer = vertx.setPeriodic(HEALTH_PERIOD_MS, id -> publishDisk());

    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .onSuccess(ready -> {
          publishDisk();
          LOG.info("system facts ready: {} {} ({}), reboot-required file {}, data directory {}",
              facts.osRelease().name(), facts.osRelease().versionId(), facts.osRelease().id(),
              system.rebootRequiredFile(), dataDir);
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(healthTimer);
    return Future.succeededFuture();
  }

  private void info(Message<Object> message) {
    try {
      message.reply(facts.collect(Path.of(system.rebootRequiredFile())));
    } catch (RuntimeException e) {
      LOG.error("collecting system facts failed; GET /api/v1/system/info answers 500 until this is fixed", e);
      ServiceFailure.fail(message, ErrorCode.INTERNAL_ERROR, "collecting system facts failed");
    }
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
}
