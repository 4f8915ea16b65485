package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.pki.IssuedCertificate;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * JOB-9 end to end: the WebSocket endpoint of the real agent (two HTTP verticles, real mutual TLS) relays
 * what is published on {@code lpa.jobs.events}, behind the same identity, permission, audit and
 * 404/405 rules as every other route.
 */
@Tag("JOB-9")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobEventsTest {

  private static final String PATH = "/api/v1/ws/jobs";

  @TempDir
  static Path dir;
  AgentUnderTest agent;
  Vertx vertx;
  /** Kept until the test ends: Vert.x closes the connections of a client that is garbage-collected. */
  final List<WebSocketClient> clients = new java.util.ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    agent = new AgentUnderTest(dir);
    agent.writeConfig("""
        authorization:
          clients:
            "test-client": read
        """);
    agent.start();
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(WebSocketClient::close);
    clients.clear();
  }

  @AfterAll
  void stop() throws Exception {
    try {
      vertx.close().await(20, TimeUnit.SECONDS);
    } finally {
      agent.close();
    }
  }

  /** A WebSocket client of the agent with {@code identity} (none: no client certificate). */
  private WebSocketClient client(IssuedCertificate identity) throws Exception {
    WebSocketClientOptions options = new WebSocketClientOptions().setSsl(true).setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(Files.readString(agent.pki.caPem()))));
    if (identity != null) {
      options.setKeyCertOptions(new PemKeyCertOptions()
          .addCertValue(Buffer.buffer(identity.certificatePem()))
          .addKeyValue(Buffer.buffer(identity.privateKeyPem())));
    }
    WebSocketClient client = vertx.createWebSocketClient(options);
    clients.add(client);
    return client;
  }

  private WebSocket connect(WebSocketClient client, String requestId) throws Exception {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("localhost").setPort(agent.port)
        .setURI(PATH).setSsl(true);
    if (requestId != null) {
      options.addHeader("X-Request-ID", requestId);
    }
    return client.connect(options).await(10, TimeUnit.SECONDS);
  }

  /** The frames a socket received, in order. */
  private static BlockingQueue<JsonObject> frames(WebSocket ws) {
    BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
    return frames;
  }

  private static JsonObject next(BlockingQueue<JsonObject> frames) throws InterruptedException {
    JsonObject frame = frames.poll(5, TimeUnit.SECONDS);
    assertThat(frame).as("a frame within 5 s").isNotNull();
    return frame;
  }

  private static void roundTrip(WebSocket ws, BlockingQueue<JsonObject> frames) throws InterruptedException {
    ws.writeTextMessage("{\"type\":\"ping\"}");
    assertThat(next(frames)).isEqualTo(new JsonObject().put("type", "pong"));
  }

  private static JsonObject event(String type, String jobId, String status, int progress) {
    return new JsonObject().put("type", type).put("job", new JsonObject().put("job_id", jobId).put("status", status)
        .put("operation", "install").put("progress", progress).put("message", status)
        .put("updated_at", Instant.now().toString()));
  }

  @Test
  @DisplayName("a subscriber gets its job's job_status then job_complete exactly once each, in publish order, and nothing of another job")
  void relaysSubscribedJob() throws Exception {
    WebSocketClient client = client(agent.pki.client);
    WebSocket ws = connect(client, null);
    BlockingQueue<JsonObject> frames = frames(ws);
    String mine = UUID.randomUUID().toString();
    ws.writeTextMessage(new JsonObject().put("type", "subscribe").put("job_id", mine).encode());
    roundTrip(ws, frames);
    var bus = agent.agent().vertx().eventBus();
    JsonObject running = event("job_status", mine, "running", 30);
    JsonObject done = event("job_complete", mine, "completed", 100);
    bus.publish(Addresses.JOB_EVENTS, running);
    bus.publish(Addresses.JOB_EVENTS, event("job_status", UUID.randomUUID().toString(), "running", 5));
    bus.publish(Addresses.JOB_EVENTS, done);
    assertThat(next(frames)).isEqualTo(running);
    assertThat(next(frames)).isEqualTo(done);
    // Two HTTP verticles run; each relays only to its own sockets, so no event arrives twice.
    roundTrip(ws, frames);
    assertThat(frames).isEmpty();
  }

  @Test
  @DisplayName("the connection outlives the HTTP request deadline (2 s here) and keeps answering")
  void outlivesRequestDeadline() throws Exception {
    WebSocketClient client = client(agent.pki.client);
    WebSocket ws = connect(client, null);
    BlockingQueue<JsonObject> frames = frames(ws);
    roundTrip(ws, frames);
    Thread.sleep(3_000);
    assertThat(ws.isClosed()).isFalse();
    roundTrip(ws, frames);
  }

  @Test
  @DisplayName("one client certificate holds at most 10 sockets (429 TOO_MANY_SOCKETS beyond), whichever verticle serves them; another certificate still gets one, and a closed socket frees its place")
  void socketsPerCertificate() throws Exception {
    // Two certificates with the same CN (and role): the quota is the certificate's, not the name's.
    IssuedCertificate greedy = agent.pki.client("test-client");
    IssuedCertificate other = agent.pki.client("test-client");
    WebSocketClient greedyClient = client(greedy);
    List<WebSocket> held = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      held.add(connect(greedyClient, null));
    }
    assertThatThrownBy(() -> connect(greedyClient, null)).isInstanceOfSatisfying(UpgradeRejectedException.class, e -> {
      assertThat(e.getStatus()).isEqualTo(429);
      JsonObject error = new JsonObject(e.getBody()).getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("TOO_MANY_SOCKETS");
      assertThat(error.getJsonObject("details").getInteger("max_sockets_per_client")).isEqualTo(10);
    });
    WebSocket otherSocket = connect(client(other), null);
    roundTrip(otherSocket, frames(otherSocket));

    held.get(0).close().await(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
        held.set(0, connect(greedyClient, null)));
    for (WebSocket ws : held) {
      ws.close();
    }
  }

  @Test
  @DisplayName("without a client certificate the TLS handshake fails and no upgrade happens")
  void noClientCertificate() throws Exception {
    WebSocketClient client = client(null);
    // No HTTP answer at all (not even a refusal): the server closed the connection during the TLS handshake.
    assertThatThrownBy(() -> connect(client, null)).isInstanceOf(WebSocketHandshakeException.class)
        .hasMessageContaining("Connection closed while handshake in process");
    // The reason, seen by a raw TLS 1.3 client on its first read: the server's certificate_required alert.
    SSLContext anonymous = TlsClient.context(null, agent.pki.ca.certificate());
    try (SSLSocket socket = (SSLSocket) anonymous.getSocketFactory().createSocket("127.0.0.1", agent.port)) {
      socket.setSoTimeout(5000);
      socket.startHandshake();
      assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SSLException.class)
          .hasMessageContaining("certificate_required");
    }
    // And the same client with a certificate is upgraded: the agent was there, only the certificate was missing.
    connect(client(agent.pki.client("test-client")), null).close();
  }

  @Test
  @DisplayName("a client whose CN has no role is refused 403 AUTHZ_FORBIDDEN before the upgrade")
  void forbiddenWithoutRole() throws Exception {
    WebSocketClient client = client(agent.pki.client("stranger"));
    assertThatThrownBy(() -> connect(client, null)).isInstanceOfSatisfying(UpgradeRejectedException.class, e -> {
      assertThat(e.getStatus()).isEqualTo(403);
      assertThat(new JsonObject(e.getBody()).getJsonObject("error").getString("code")).isEqualTo("AUTHZ_FORBIDDEN");
    });
  }

  @Test
  @DisplayName("the route table applies: POST is 405 with Allow: GET, a sibling path is 404, a plain GET or a broken handshake is 400")
  void routeRules() throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response post = client.exchange("POST", PATH, "{}", "Content-Type: application/json");
      assertThat(post.status()).isEqualTo(405);
      assertThat(post.header("Allow")).isEqualTo("GET");
      assertThat(client.get("/api/v1/ws/other").status()).isEqualTo(404);
      TlsClient.Response plain = client.get(PATH);
      assertThat(plain.status()).isEqualTo(400);
      assertThat(new JsonObject(plain.body()).getJsonObject("error").getString("code")).isEqualTo("INVALID_REQUEST");
    }
    try (TlsClient client = agent.connect()) {
      TlsClient.Response noKey = client.get(PATH, "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13");
      assertThat(noKey.status()).as("a handshake without Sec-WebSocket-Key").isEqualTo(400);
      assertThat(new JsonObject(noKey.body()).getJsonObject("error").getString("message")).contains("Sec-WebSocket-Key");
    }
    try (TlsClient client = agent.connect()) {
      TlsClient.Response oldVersion = client.get(PATH, "Upgrade: websocket", "Connection: Upgrade",
          "Sec-WebSocket-Version: 8", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
      assertThat(oldVersion.status()).as("a handshake of another protocol version").isEqualTo(400);
      assertThat(oldVersion.header("Sec-WebSocket-Version")).isEqualTo("13");
      assertThat(new JsonObject(oldVersion.body()).getJsonObject("error").getString("code")).isEqualTo("INVALID_REQUEST");
    }
  }

  @Test
  @DisplayName("an upgrade request answered without an upgrade does not stall the next request of the connection")
  void refusedUpgradeKeepsConnection() throws Exception {
    try (TlsClient client = agent.connect()) {
      // Held unread for the WebSocket route, then answered like any request by the health route.
      assertThat(client.get("/health", "Upgrade: websocket", "Connection: Upgrade").status()).isEqualTo(200);
      assertThat(client.get("/api/v1/system/info").status()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("the upgrade is audited like any request: client identity, path and status 101 under its request id")
  void upgradeAudited() throws Exception {
    WebSocketClient client = client(agent.pki.client);
    WebSocket ws = connect(client, "ws-audit-1");
    Path log = dir.resolve("log/audit.jsonl");
    await().atMost(Duration.ofSeconds(5)).until(() -> records(log).stream()
        .anyMatch(r -> "ws-audit-1".equals(r.getString("request_id"))));
    JsonObject record = records(log).stream().filter(r -> "ws-audit-1".equals(r.getString("request_id")))
        .findFirst().orElseThrow();
    assertThat(record.getString("event")).isEqualTo("request");
    assertThat(record.getString("path")).isEqualTo(PATH);
    assertThat(record.getInteger("status")).isEqualTo(101);
    assertThat(record.getJsonObject("client").getString("cn")).isEqualTo("test-client");
  }

  private static List<JsonObject> records(Path log) throws Exception {
    if (!Files.exists(log)) {
      return List.of();
    }
    return Files.readAllLines(log).stream().filter(l -> !l.isBlank()).map(JsonObject::new).toList();
  }
}
