package io.linuxpatch.agent;

import io.linuxpatch.agent.config.ConfigWatchVerticle;
import io.linuxpatch.audit.AuditVerticle;
import io.linuxpatch.auth.AuthVerticle;
import io.linuxpatch.auth.filter.AcceptFilter;
import io.linuxpatch.auth.filter.DropCounts;
import io.linuxpatch.auth.filter.HandshakeFailures;
import io.linuxpatch.cluster.EventRelay;
import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.AgentVersion;
import io.linuxpatch.contract.LocalCodec;
import io.linuxpatch.contract.auth.AccessPolicy;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.health.HealthCheck;
import io.linuxpatch.enrollment.EnrollmentVerticle;
import io.linuxpatch.http.HttpVerticle;
import io.linuxpatch.http.TlsEngine;
import io.linuxpatch.internals.AcceptTimeTransport;
import io.linuxpatch.jobs.JobVerticle;
import io.linuxpatch.packages.PackageVerticle;
import io.linuxpatch.system.SystemVerticle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one running agent: a Vert.x instance whose transport drops non-allowed peers at accept time,
 * then the verticles in dependency order (auth and certificate renewal, system, packages, config watcher,
 * HTTP × cores) and, in
 * clustered mode, the relay of published events onto a separate clustered Vert.x. It owns nothing else; each
 * verticle owns its state.
 */
public final class Agent {

  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  /** Drops of non-allowed peers are summarised per interval, which starts at the first: one log line, whatever the flood. */
  private static final long DROP_REPORT_MS = 1_000;

  /** How often an agent_start record the audit log refused is offered again. */
  private static final long START_RECORD_RETRY_MS = 1_000;

  private final Vertx vertx;
  private final AcceptFilter filter;
  private final int port;
  /** OPS-5: this agent's hold on its data directory and audit log, released once it has stopped. */
  private final AgentLock lock;
  /** Null unless {@code cluster.enabled}; only then does the agent start Hazelcast. */
  private volatile EventRelay relay;

  private Agent(Vertx vertx, AcceptFilter filter, int port, AgentLock lock) {
    this.vertx = vertx;
    this.filter = filter;
    this.port = port;
    this.lock = lock;
  }

  /**
   * Starts an agent with {@code config} read from {@code configFile} ({@code document} is the YAML as JSON
   * that verticles are deployed with), after locking its data directory and audit log (OPS-5). The future
   * fails with {@link AgentLock.Held} when another agent holds them, and when any verticle cannot start.
   */
  public static Future<Agent> start(Path configFile, JsonObject document, AgentConfig config) {
    AgentLock lock;
    try {
      lock = AgentLock.acquire(config);
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    return start(configFile, document, config, lock);
  }

  /**
   * The same with the locks already taken (the command line takes them before anything else); the agent owns
   * {@code lock} from here on and releases it when it stops or fails to start.
   */
  public static Future<Agent> start(Path configFile, JsonObject document, AgentConfig config, AgentLock lock) {
    try {
      return startLocked(configFile, document, config, lock);
    } catch (RuntimeException e) {
      lock.close();
      return Future.failedFuture(e);
    }
  }

  private static Future<Agent> startLocked(Path configFile, JsonObject document, AgentConfig config, AgentLock lock) {
    TlsDefaults.apply();
    OldGenerationGrowth.install();
    AcceptFilter filter = new AcceptFilter();
    Transport chosen = Transport.nativeTransport();
    if (chosen == null || !chosen.available()) {
      // No native library for this platform on the classpath: NIO does the same job a little slower.
      chosen = Transport.NIO;
    }
    String transportName = chosen.name();
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
    // SEC-3: the allow-list's accept filter on every HTTP server's listening channel, through Vert.x' transport SPI
    // (modules/internals, hook 1); the start fails below when this Vert.x did not put it there.
    AcceptTimeTransport acceptTime = AcceptTimeTransport.wrap(chosen, filter);
    VertxBuilder builder = Vertx.builder().withTransport(acceptTime.handle());
    if (config.metrics().enabled()) {
      // MET-1: Vert.x' own HTTP server and event-bus meters, JVM meters, in a Prometheus registry that the
      // HTTP verticles scrape for GET /metrics (labels per route, method and status code).
      options.setMetricsOptions(new MicrometerMetricsOptions()
          .setEnabled(true)
          .setJvmMetricsEnabled(true)
          .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
          // Pools by type and name: without them every pool registered the same untagged vertx.pool.* meters,
          // the first one won and each start logged "Gauge has been already registered".
          .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE,
              Label.POOL_NAME)));
      builder.withMetrics(new MicrometerMetricsFactory(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
      // Vert.x registers its gauges again on every update, by design; Micrometer's notice about it is not ours.
      VertxGaugeNotice.install();
    }
    Vertx vertx = builder.with(options).build();
    LocalCodec.register(vertx.eventBus(), AccessPolicy.class);
    LocalCodec.register(vertx.eventBus(), HealthCheck.class);
    LocalCodec.register(vertx.eventBus(), AgentConfig.class);
    filter.follow(vertx.eventBus());
    if (!config.cluster().enabled()) {
      publishClusterDisabled(vertx);
    }

    int instances = config.server().instances() > 0 ? config.server().instances()
        : Runtime.getRuntime().availableProcessors();
    DeploymentOptions base = new DeploymentOptions().setConfig(document);
    // The audit log first, so that every other component's records have somewhere to go (AUD-1). Then the
    // components that do not need each other side by side (start-up time, issue 7): access policy and TLS
    // material, system facts, the package backend and then the jobs that run on it, the config watch. The API
    // last, once everything it sends requests to is there.
    Future<OpenAPIContract> contract = HttpVerticle.contract(vertx);
    Future<Agent> started = vertx.deployVerticle(new AuditVerticle(),
            new DeploymentOptions(base).setThreadingModel(ThreadingModel.WORKER))
        // agent_start on disk before anything else happens, so that even a kill right after the first answer
        // leaves it in the log (AUD-4); never fails the start: a refused record is owed and offered again.
        .compose(id -> recordStart(vertx, configFile, config))
        .compose(id -> Future.all(
            vertx.deployVerticle(new AuthVerticle(), new DeploymentOptions(base))
                // Renewal watches the material AuthVerticle serves (ENR): right after it, before the API.
                .compose(auth -> vertx.deployVerticle(new EnrollmentVerticle(), new DeploymentOptions(base))),
            vertx.deployVerticle(SystemVerticle.class.getName(),
                new DeploymentOptions(base).setThreadingModel(ThreadingModel.WORKER)),
            vertx.deployVerticle(PackageVerticle.class.getName(),
                    new DeploymentOptions(base).setThreadingModel(ThreadingModel.WORKER))
                // Jobs after the package backend, which they run on (a restart checks dpkg through it).
                .compose(packages -> vertx.deployVerticle(new JobVerticle(), new DeploymentOptions(base))),
            vertx.deployVerticle(new ConfigWatchVerticle(configFile, config), new DeploymentOptions(base))))
        .compose(all -> contract)
        .compose(parsed -> vertx.deployVerticle(() -> new HttpVerticle(parsed),
            new DeploymentOptions(base).setInstances(instances)))
        .map(id -> {
          // Never serve peers off the allow-list because a Vert.x upgrade bound the API another way.
          acceptTime.requireInstalled();
          Agent agent = new Agent(vertx, filter, config.server().port(), lock);
          if (config.cluster().enabled()) {
            // After the API is up: joining takes seconds and the API must not wait for it (CLU-1).
            agent.relay = EventRelay.start(vertx, config.cluster(), config.tls());
          }
          // Drops and failed handshakes are reported one interval after the first of them, never polled for.
          Context reports = vertx.getOrCreateContext();
          filter.onReportDue(() -> reports.runOnContext(v -> vertx.setTimer(DROP_REPORT_MS, t -> agent.reportDrops())));
          LOG.info("linux-patch-api listening on https://{}:{} ({} HTTP verticles, transport {}, TLS engine {})",
              config.server().bind(), config.server().port(), instances, transportName,
              TlsEngine.name());
          return agent;
        });
    return started.recover(failure -> {
      // Closing completes on event loops that are shutting down: do not chain on it, just let it run; the lock
      // is released once it has, so that no second agent starts beside verticles still stopping.
      vertx.close().onComplete(closed -> lock.close());
      return Future.failedFuture(failure);
    });
  }

  /**
   * Writes agent_start durably; completes either way. A refusal (disk full) is logged and the record is offered
   * again every second until the audit log takes it, counted meanwhile in the audit_log check's records_owed.
   */
  private static Future<Void> recordStart(Vertx vertx, Path configFile, AgentConfig config) {
    JsonObject record = new JsonObject().put("event", "agent_start").put("version", AgentVersion.get())
        .put("config", configFile.toString()).put("port", config.server().port())
        .put("pid", ProcessHandle.current().pid()).put("durable", true).put("owed_key", "agent_start");
    return vertx.eventBus().<JsonObject>request(Addresses.AUDIT_RECORD, record)
        .<Void>mapEmpty()
        .recover(refused -> {
          LOG.warn("the agent_start audit record could not be written ({}); it is offered again every second",
              refused.getMessage());
          offerAgain(vertx, record);
          return Future.succeededFuture();
        });
  }

  /** One attempt a second, the next only after the previous one was answered (no two copies in flight). */
  private static void offerAgain(Vertx vertx, JsonObject record) {
    vertx.setTimer(START_RECORD_RETRY_MS, timer -> vertx.eventBus().request(Addresses.AUDIT_RECORD, record.copy())
        .onFailure(stillRefused -> offerAgain(vertx, record)));
  }

  /**
   * The {@code cluster} check when clustering is off; when it is on, the event relay owns the check
   * (joining, joined with its members, or failed).
   */
  private static void publishClusterDisabled(Vertx vertx) {
    Runnable publish = () -> vertx.eventBus().publish(Addresses.HEALTH_CHECK, HealthCheck.healthy("cluster",
        "clustering disabled", new JsonObject().put("enabled", false)));
    vertx.eventBus().localConsumer(Addresses.HEALTH_RESYNC, m -> publish.run());
    publish.run();
  }

  /** SEC-3: drops are invisible to Vert.x, so they are summarised here, once per interval at most. */
  private void reportDrops() {
    reportHandshakeFailures();
    DropCounts drops = filter.drainDrops();
    if (!drops.isEmpty()) {
      LOG.warn("dropped {} connection(s) from addresses not on the allow-list before TLS: {}", drops.total(),
          drops.byAddress());
      audit(new JsonObject().put("event", "allowlist_drop").put("stage", "tcp accept, before TLS")
          .put("total", drops.total()).put("by_address", new JsonObject(new HashMap<>(drops.byAddress())))
          .put("other_addresses", drops.otherAddresses()));
    }
  }

  /**
   * AUD-1 authentication failures: one record per peer and reason per interval, with the count (at most 20
   * such records a second, the rest in one summary). There is no HTTP request, so each gets a request id of
   * its own to be referred to.
   */
  private void reportHandshakeFailures() {
    HandshakeFailures.Drained failed = filter.drainHandshakeFailures();
    for (HandshakeFailures.Failure f : failed.failures()) {
      audit(new JsonObject().put("event", "authentication_failure").put("stage", "tls handshake")
          .put("request_id", UUID.randomUUID().toString()).put("client", (JsonObject) null)
          .put("peer_ip", f.peerIp()).put("failed_at", f.time().toString()).put("reason", f.reason())
          .put("count", f.count()).put("last_failed_at", f.last().toString()));
    }
    if (failed.notRecorded() > 0) {
      LOG.warn("{} more failed TLS handshakes in the last interval were counted but not recorded one by one",
          failed.notRecorded());
      audit(new JsonObject().put("event", "authentication_failures_not_recorded").put("count", failed.notRecorded()));
    }
  }

  /** Sends a record to the audit log (AUD-1); buffered, flushed within a second. */
  private void audit(JsonObject record) {
    vertx.eventBus().send(Addresses.AUDIT_RECORD, record);
  }

  public Vertx vertx() {
    return vertx;
  }

  public int port() {
    return port;
  }

  public long droppedSinceStart() {
    return filter.droppedSinceStart();
  }

  /** Stops accepting, undeploys every verticle, waits at most 10 s (OPS-2). */
  public void stop() {
    try {
      // The stop record is durable: written and fsynced before the audit log closes.
      vertx.eventBus().request(Addresses.AUDIT_RECORD, new JsonObject().put("event", "agent_stop").put("durable", true))
          .await(3, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("the agent_stop audit record could not be written: {}", e.toString());
    }
    if (relay != null) {
      try {
        // Leave the cluster first, so subscribers see this node go rather than time out on it.
        relay.stop().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("the agent did not leave the cluster cleanly: {}", e.toString());
      }
    }
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("the agent did not stop within {}: {}", Duration.ofSeconds(10), e.toString());
    }
    lock.close();
  }
}
