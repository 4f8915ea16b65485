package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SEC-4 and SEC-6 for the WebSocket: an open job-events socket does not outlive its client's access. */
@Tag("SEC-4")
@Tag("SEC-6")
class JobEventsAccessTest {

  @TempDir
  Path dir;
  AgentUnderTest agent;
  Vertx vertx;
  /**
   * Held for the socket's life: Vert.x 5 hands out a client that closes its connections once it is
   * garbage-collected, and a client nothing refers to was collected (a GC while the handshake ran closed the
   * connection: "Connection closed while handshake in process") whenever the JVM was busy enough to collect.
   */
  WebSocketClient client;

  @AfterEach
  void stop() {
    if (vertx != null) {
      vertx.close();
    }
    if (agent != null) {
      agent.close();
    }
  }

  /** An open job-events socket of the test client, subscribed to every job; completes with its close code. */
  private CompletableFuture<Short> openSocket() throws Exception {
    vertx = Vertx.vertx();
    client = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(agent.pki.caPem().toString()))
        .setKeyCertOptions(new PemKeyCertOptions()
            .addCertValue(Buffer.buffer(agent.pki.client.certificatePem()))
            .addKeyValue(Buffer.buffer(agent.pki.client.privateKeyPem()))));
    Future<WebSocket> connecting = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(agent.port).setSsl(true).setURI("/api/v1/ws/jobs")
        .setHeaders(MultiMap.caseInsensitiveMultiMap().add("Host", "localhost")));
    // What a busy JVM may do at any time: the client above must survive a collection during its handshake.
    System.gc();
    WebSocket ws = connecting.await(10, TimeUnit.SECONDS);
    CompletableFuture<Short> closed = new CompletableFuture<>();
    BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
    ws.textMessageHandler(frames::add);
    ws.writeTextMessage("{\"type\":\"subscribe_all\"}");
    // Messages are handled in order: the pong says the subscription is in place (JOB-9).
    ws.writeTextMessage("{\"type\":\"ping\"}");
    assertThat(frames.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"type\":\"pong\"}");
    assertThat(closed).isNotDone();
    return closed;
  }

  @Test
  @DisplayName("removing the client's address from the allow-list closes its open job-events socket (1008) within seconds")
  void allowListRemovalClosesSocket() throws Exception {
    agent = new AgentUnderTest(dir).start();
    CompletableFuture<Short> closed = openSocket();

    agent.writeWhitelist(List.of("::1"));
    assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);
  }

  @Test
  @DisplayName("an authorization change that leaves the client's CN without a role closes its open socket (1008)")
  void roleWithdrawalClosesSocket() throws Exception {
    agent = new AgentUnderTest(dir).start();
    CompletableFuture<Short> closed = openSocket();

    agent.writeConfig("""
        authorization:
          clients:
            "ops-*": admin
        """);
    assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);
  }
}
