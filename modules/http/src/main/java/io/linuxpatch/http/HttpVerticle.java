package io.linuxpatch.http;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.AgentVersion;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.LocalCodec;
import io.linuxpatch.contract.auth.AccessPolicy;
import io.linuxpatch.contract.auth.TlsMaterial;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.health.HealthCheck;
import io.linuxpatch.internals.BrokenAssumption;
import io.linuxpatch.internals.InlineBlockingVertx;
import io.linuxpatch.internals.PrevalidatedContract;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Terminates mutual TLS and serves the REST API (one instance per core, DESIGN). It keeps the latest
 * access policy, TLS material and health checks in fields — published by their owners on the event bus
 * — so that checking a request costs no round trip; everything else is asked of the owning verticle.
 */
public final class HttpVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
  private static final Instant PROCESS_START = Instant.now();

  private AgentConfig config;
  private volatile AccessPolicy policy = AccessPolicy.denyAll();
  private HealthRoutes health;
  private HttpServer server;
  private ReportInterval reports;
  private TlsMaterial latestTls;
  private RateLimiter limiter;
  /** What every HTTP verticle of the agent shares: the rate limiter (SEC-8) and the WebSocket quota (JOB-9). */
  private static final String SHARED_MAP = "lpa.http.shared";
  /**
   * What a client can make the agent log is summarised per interval, whatever the flood: refused malformed
   * requests (also audited), unexpected failures beyond a few stack traces.
   */
  private static final long LOG_INTERVAL_MS = 1_000;
  private TlsMaterial servedTls;
  private JobEventsRelay jobEvents;
  /** The API contract parsed once for every HTTP verticle of the agent, or null: parsed by this one. */
  private final OpenAPIContract parsedContract;

  /** An HTTP verticle that parses the API contract itself (tests deploy it by class name). */
  public HttpVerticle() {
    this(null);
  }

  /** An HTTP verticle serving {@code contract} (from {@link #contract(Vertx)}). */
  public HttpVerticle(OpenAPIContract contract) {
    this.parsedContract = contract;
  }

  /**
   * Parses the API contract once for all HTTP verticles, on a thread of its own so that it runs beside the
   * other verticles' start (issue 7: parsing and resolving the schemas, and loading the classes that do
   * it, was the longest step of start-up, and each HTTP verticle did it again). The same thread then loads
   * the TLS engine's native library, which the first HTTP verticle would otherwise wait for. The contract
   * is only read afterwards, from any event loop.
   */
  public static Future<OpenAPIContract> contract(Vertx vertx) {
    Promise<OpenAPIContract> parsed = Promise.promise();
    Thread parser = new Thread(() -> {
      PrevalidatedContract.of(vertx, OpenApiDocument.load().forContract()).onComplete(parsed);
      TlsEngine.name();
    }, "lpa-contract-parser");
    parser.setDaemon(true);
    parser.start();
    return parsed.future();
  }

  @Override
  public Future<?> start() {
    config = AgentConfig.parse(config()).config();
    EventBus bus = vertx.eventBus();
    LocalCodec.register(bus, AccessPolicy.class);
    LocalCodec.register(bus, TlsMaterial.class);
    LocalCodec.register(bus, HealthCheck.class);
    LocalCodec.register(bus, AgentConfig.class);

    OpenApiDocument document = OpenApiDocument.load();
    jobEvents = new JobEventsRelay(vertx, (SocketQuota) vertx.sharedData().getLocalMap(SHARED_MAP)
        .computeIfAbsent("socket-quota", k -> new SocketQuota()));
    jobEvents.start();
    health = new HealthRoutes(AgentVersion.get(), PROCESS_START, hostBoot());
    bus.<AccessPolicy>localConsumer(Addresses.AUTH_POLICY, m -> newerPolicy(m.body()));
    bus.<HealthCheck>localConsumer(Addresses.HEALTH_CHECK, m -> health.update(m.body()));
    bus.<TlsMaterial>localConsumer(Addresses.AUTH_TLS, m -> reloadTls(m.body()));
    // One limiter for every HTTP verticle of this Vert.x (SEC-8: per client, not per thread).
    limiter = (RateLimiter) vertx.sharedData().getLocalMap(SHARED_MAP)
        .computeIfAbsent("limiter", k -> new RateLimiter(config.rateLimit()));
    bus.<AgentConfig>localConsumer(Addresses.CONFIG_CHANGED, m -> {
      if (!m.body().rateLimit().equals(config.rateLimit())) {
        limiter.reconfigure(m.body().rateLimit());
      }
      config = m.body();
    });

    Future<AccessPolicy> currentPolicy = bus.<AccessPolicy>request(Addresses.AUTH_POLICY_CURRENT, null)
        .map(m -> m.body());
    Future<TlsMaterial> currentTls = bus.<TlsMaterial>request(Addresses.AUTH_TLS_CURRENT, null)
        .map(m -> m.body());
    Future<OpenAPIContract> contract = parsedContract != null ? Future.succeededFuture(parsedContract)
        : PrevalidatedContract.of(vertx, document.forContract());

    return Future.all(currentPolicy, currentTls, contract).compose(all -> {
      newerPolicy(currentPolicy.result());
      TlsMaterial initial = latestTls != null && latestTls.generation() > currentTls.result().generation()
          ? latestTls : currentTls.result();
      servedTls = initial;
      TlsEngine.materialGeneration(initial.generation());
      ClientAccess access = new ClientAccess(() -> policy);
      reports = new ReportInterval(vertx, LOG_INTERVAL_MS);
      FailureAnswers failures = new FailureAnswers(document, reports);
      Router router = router(document, ReusedValidators.of(contract.result()), access, failures);
      ProbeShortcut probes = new ProbeShortcut(() -> policy, access, health);
      HttpServerOptions options = ServerSecurity.serverOptions(config.server(), initial);
      MalformedRequestLog malformed = new MalformedRequestLog(bus, reports);
      server = vertx.createHttpServer(options)
          .exceptionHandler(this::connectionFailed)
          .invalidRequestHandler(new MalformedRequests(() -> policy, access, malformed))
          .connectionHandler(connection -> {
            try {
              StrictRequestDecoder.install(connection, options);
              RequestDeadline.install(connection, config.server().requestTimeoutSeconds() * 1000L);
            } catch (BrokenAssumption broken) {
              // Never served without the framing checks or the request deadline (modules/internals, hook 3).
              LOG.error("connection from {} closed unserved: {}", connection.remoteAddress(), broken.getMessage());
              connection.close();
            }
          })
          .requestHandler(request -> {
            if (!probes.answered(request)) {
              router.handle(request);
            }
          });
      bus.publish(Addresses.HEALTH_RESYNC, null);
      return server.listen();
    }).onSuccess(s -> LOG.debug("HTTP verticle listening on {}:{}", config.server().bind(), s.actualPort()));
  }

  private Router router(OpenApiDocument document, OpenAPIContract contract, ClientAccess access,
      FailureAnswers failures) {
    JobSubmission submission = new JobSubmission(vertx.eventBus());
    SystemRoutes system = new SystemRoutes(vertx.eventBus(), submission);
    PackageRoutes packages = new PackageRoutes(vertx.eventBus(), submission);
    JobRoutes jobs = new JobRoutes(vertx.eventBus(), submission);
    Permissions permissions = new Permissions(contract);

    // The body is read once, by the BodyHandler below (with its 1 MiB limit), and validated from the context.
    RouterBuilder builder = RouterBuilder.create(InlineBlockingVertx.of(vertx), contract, RequestExtractor.withBodyHandler());
    builder.getRoute("getHealth").addHandler(health::health);
    builder.getRoute("getHealthV1").addHandler(health::health);
    builder.getRoute("getSystemInfo").addHandler(system::info);
    builder.getRoute("getService").addHandler(system::service);
    builder.getRoute("listPackages").addHandler(packages::list);
    builder.getRoute("getPackage").addHandler(packages::get);
    builder.getRoute("installPackages").addHandler(packages::install);
    builder.getRoute("updatePackage").addHandler(packages::update);
    builder.getRoute("removePackage").addHandler(packages::remove);
    builder.getRoute("listPatches").addHandler(packages::patches);
    builder.getRoute("applyPatches").addHandler(packages::applyPatches);
    builder.getRoute("listHolds").addHandler(packages::holds);
    builder.getRoute("holdPackage").addHandler(ctx -> packages.hold(ctx, true));
    builder.getRoute("unholdPackage").addHandler(ctx -> packages.hold(ctx, false));
    builder.getRoute("refreshCache").addHandler(packages::refreshCache);
    builder.getRoute("repair").addHandler(packages::repair);
    builder.getRoute("reboot").addHandler(system::reboot);
    builder.getRoute("listJobs").addHandler(jobs::list);
    builder.getRoute("getJob").addHandler(jobs::get);
    builder.getRoute("deleteJob").addHandler(jobs::delete);
    builder.getRoute("rollbackJob").addHandler(jobs::rollback);
    builder.getRoute("jobEvents").addHandler(jobEvents::upgrade);
    builder.getRoute("getMetrics").addHandler(metrics());
    builder.getRoute("getOpenApi").addHandler(ctx -> serveDocument(ctx, document));

    Router router = builder.createRouter();
    // Checks that run before any operation route, in this order, each on a route of its own (vertx-web
    // forbids a body handler after user handlers on one route): request id, who is calling and from
    // where, the request's shape, the client's rate budget, the permission of the operation, and only then
    // reading the body. A WebSocket upgrade is held unread first, to be upgraded after validation (JOB-9).
    router.route().order(-8).handler(JobEventsRelay::holdUpgrade);
    router.route().order(-7).handler(new RequestIds());
    router.route().order(-6).handler(new RequestAudit(vertx.eventBus()));
    router.route().order(-5).handler(access);
    router.route().order(-4).handler(new RequestShape());
    router.route().order(-3).handler(new RateLimits(limiter));
    router.route().order(-2).handler(permissions);
    router.route().order(-1).handler(BodyHandler.create(false).setBodyLimit(ServerSecurity.MAX_BODY_BYTES));
    router.route().failureHandler(failures::handle);
    router.errorHandler(404, failures::notFound);
    router.errorHandler(405, failures::methodNotAllowed);
    router.errorHandler(500, failures::handle);
    return router;
  }

  /**
   * MET-1: failed TLS handshakes (no or bad client certificate, TLS 1.2 when only 1.3 is allowed) are
   * counted; Vert.x reports them without the peer's address (vert.x#4298), so they cannot be audited per peer.
   */
  private void connectionFailed(Throwable failure) {
    if (failure instanceof SSLException || failure.getCause() instanceof SSLException) {
      MeterRegistry registry = BackendRegistries.getDefaultNow();
      if (registry != null) {
        registry.counter("lpa_tls_handshake_failures_total").increment();
      }
      LOG.debug("TLS handshake failed: {}", failure.getMessage());
    }
  }

  /** MET-1: the Prometheus registry the agent created, or a 503 envelope when metrics.enabled is false. */
  private Handler<RoutingContext> metrics() {
    if (BackendRegistries.getDefaultNow() == null) {
      return ctx -> ctx.fail(new ApiFailure(ErrorCode.SERVICE_UNAVAILABLE,
          "metrics are disabled (metrics.enabled: false)"));
    }
    return PrometheusScrapingHandler.create();
  }

  private static void serveDocument(RoutingContext ctx, OpenApiDocument document) {
    ctx.response().putHeader("Content-Type", "application/json").end(document.bytes());
  }

  /** Snapshots can arrive out of order around start-up (publish vs the initial request): keep the newest. */
  private void newerPolicy(AccessPolicy candidate) {
    if (candidate.generation() >= policy.generation()) {
      policy = candidate;
      if (jobEvents != null) {
        jobEvents.recheck(candidate);
      }
    }
  }

  private void reloadTls(TlsMaterial material) {
    latestTls = material;
    if (server == null || (servedTls != null && material.generation() <= servedTls.generation())) {
      // Not listening yet: start() serves the newest material it has seen.
      return;
    }
    servedTls = material;
    TlsEngine.materialGeneration(material.generation());
    server.updateSSLOptions(ServerSecurity.sslOptions(config.server(), material), true)
        .onSuccess(changed -> LOG.info("TLS material generation {} in use for new connections", material.generation()))
        .onFailure(e -> LOG.error("TLS material generation {} was refused by the TLS engine; "
            + "the previous certificates stay in use: {}", material.generation(), e.getMessage()));
  }

  /** Boot time from /proc/uptime, read once (procfs: no disk I/O); null where there is no /proc. */
  private static Instant hostBoot() {
    try {
      String uptime = Files.readString(Path.of("/proc/uptime")).trim();
      double seconds = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
      return Instant.now().minus(Duration.ofMillis((long) (seconds * 1000)));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public Future<?> stop() {
    if (jobEvents != null) {
      jobEvents.stop();
    }
    if (reports != null) {
      reports.flush();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }
}
