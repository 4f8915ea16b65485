package io.linuxpatch.http;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.auth.TlsMaterial;
import io.linuxpatch.contract.config.ServerConfig;
import io.linuxpatch.pki.CertificateAuthority;
import io.linuxpatch.pki.IssuedCertificate;
import io.linuxpatch.pki.LeafSpec;
import io.linuxpatch.pki.PemFiles;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.Router;
import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real HTTPS server with mutual TLS, built by {@link ServerSecurity} from certificates made for the test,
 * whose only route is {@link JobEventsRelay#upgrade} behind {@link JobEventsRelay#holdUpgrade} and an
 * asynchronous step, as in the agent's router (failures answered by {@link FailureAnswers}), with the
 * request deadline of SEC-7 installed on every connection. Clients are real Vert.x WebSocket clients.
 */
final class JobEventsServer implements AutoCloseable {

  static final String PATH = "/api/v1/ws/jobs";
  /** The request deadline and HTTP idle timeout of this server: short, so that a test outlives them. */
  static final int HTTP_TIMEOUT_SECONDS = 1;

  /** Certificates made once per test class. */
  record Pki(CertificateAuthority ca, IssuedCertificate server, IssuedCertificate client) {
    static Pki create() {
      CertificateAuthority ca = CertificateAuthority.create("job events test CA", Duration.ofDays(1));
      return new Pki(ca, ca.issue(LeafSpec.server("localhost")), ca.issue(LeafSpec.client("events-client")));
    }

    String caPem() {
      return PemFiles.encode(ca.certificate());
    }

    TlsMaterial material() {
      return new TlsMaterial(Buffer.buffer(caPem()), Buffer.buffer(server.certificatePem()),
          Buffer.buffer(server.privateKeyPem()), null, Set.of("TLSv1.3"), 1);
    }

    /** A JDK TLS context with the client certificate, for raw-socket clients. */
    SSLContext clientContext() throws Exception {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("client", client.privateKey(), new char[0], new Certificate[] {client.certificate()});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(caPem().getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    }
  }

  final Vertx vertx;
  final Pki pki;
  final int port;
  private final Relay verticle;

  private JobEventsServer(Vertx vertx, Pki pki, Relay verticle, int port) {
    this.vertx = vertx;
    this.pki = pki;
    this.verticle = verticle;
    this.port = port;
  }

  static JobEventsServer start(Pki pki, Duration ping, Duration silence, int maxConnections, int maxSubscriptions)
      throws Exception {
    return start(pki, ping, silence, JobEventsRelay.STALL_LIMIT, maxConnections, maxSubscriptions,
        new SocketQuota(maxConnections));
  }

  /** With the stall limit and the per-certificate quota too. */
  static JobEventsServer start(Pki pki, Duration ping, Duration silence, Duration stall, int maxConnections,
      int maxSubscriptions, SocketQuota quota) throws Exception {
    Vertx vertx = Vertx.vertx();
    Relay verticle = new Relay(pki.material(), ping, silence, stall, maxConnections, maxSubscriptions, quota);
    vertx.deployVerticle(verticle).await(20, TimeUnit.SECONDS);
    return new JobEventsServer(vertx, pki, verticle, verticle.server.actualPort());
  }

  /** The HTTP verticle's part under test: the relay on its own event loop, behind a real TLS server. */
  private static final class Relay extends VerticleBase {
    private final TlsMaterial tls;
    private final Duration ping;
    private final Duration silence;
    private final Duration stall;
    private final int maxConnections;
    private final int maxSubscriptions;
    private final SocketQuota quota;
    private JobEventsRelay relay;
    private HttpServer server;
    private Context context;

    Relay(TlsMaterial tls, Duration ping, Duration silence, Duration stall, int maxConnections, int maxSubscriptions,
        SocketQuota quota) {
      this.tls = tls;
      this.ping = ping;
      this.silence = silence;
      this.stall = stall;
      this.maxConnections = maxConnections;
      this.maxSubscriptions = maxSubscriptions;
      this.quota = quota;
    }

    @Override
    public Future<?> start() {
      context = vertx.getOrCreateContext();
      relay = new JobEventsRelay(vertx, ping, silence, stall, maxConnections, maxSubscriptions, quota);
      relay.start();
      Router router = Router.router(vertx);
      router.route().handler(JobEventsRelay::holdUpgrade);
      router.route().handler(new RequestIds());
      // The agent's route runs after the asynchronous OpenAPI validation: so does this one.
      router.get(PATH).handler(ctx -> vertx.setTimer(1, t -> ctx.next())).handler(relay::upgrade);
      router.route().failureHandler(new FailureAnswers(OpenApiDocument.load(), new ReportInterval(vertx, 1_000))::handle);
      ServerConfig config = new ServerConfig("127.0.0.1", 0, HTTP_TIMEOUT_SECONDS, HTTP_TIMEOUT_SECONDS, false, 1);
      server = vertx.createHttpServer(ServerSecurity.serverOptions(config, tls))
          .connectionHandler(c -> RequestDeadline.install(c, HTTP_TIMEOUT_SECONDS * 1000L))
          .requestHandler(router);
      return server.listen();
    }

    @Override
    public Future<?> stop() {
      relay.stop();
      return server.close();
    }
  }

  /** The relay's open sockets, read on its event loop. */
  int connections() throws Exception {
    Promise<Integer> count = Promise.promise();
    verticle.context.runOnContext(v -> count.complete(verticle.relay.connections()));
    return count.future().await(5, TimeUnit.SECONDS);
  }

  void publish(JsonObject event) {
    vertx.eventBus().publish(Addresses.JOB_EVENTS, event);
  }

  WebSocketClient client(boolean withCertificate) {
    WebSocketClientOptions options = new WebSocketClientOptions()
        .setSsl(true)
        .setVerifyHost(true)
        .setMaxFrameSize(ServerSecurity.MAX_WEBSOCKET_FRAME_BYTES)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(pki.caPem())));
    if (withCertificate) {
      options.setKeyCertOptions(new PemKeyCertOptions()
          .addCertValue(Buffer.buffer(pki.client.certificatePem()))
          .addKeyValue(Buffer.buffer(pki.client.privateKeyPem())));
    }
    return vertx.createWebSocketClient(options);
  }

  Future<WebSocket> connect(WebSocketClient client) {
    return client.connect(new WebSocketConnectOptions().setHost("localhost").setPort(port).setURI(PATH).setSsl(true));
  }

  /** A connected client with a certificate, collecting what the server sends. */
  EventsClient open() throws Exception {
    WebSocketClient client = client(true);
    return new EventsClient(client, connect(client).await(10, TimeUnit.SECONDS));
  }

  /** A job event as the job engine publishes it (JOB-9). */
  static JsonObject event(String type, String jobId, String status, int progress, String message) {
    return new JsonObject().put("type", type).put("job", new JsonObject()
        .put("job_id", jobId)
        .put("status", status)
        .put("operation", "install")
        .put("progress", progress)
        .put("message", message)
        .put("updated_at", Instant.now().toString()));
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }
}
