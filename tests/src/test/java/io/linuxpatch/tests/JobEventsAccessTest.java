package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SEC-4 and SEC-6 for the WebSocket: an open job-events socket does not outlive its client's access. */
class JobEventsAccessTest {

  @TempDir
  Path dir;
  AgentUnderTest agent;
  Vertx vertx;

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
    WebSocket ws = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
            .setTrustOptions(new PemTrustOptions().addCertPath(agent.pki.caPem().toString()))
            .setKeyCertOptions(new PemKeyCertOptions()
                .addCertValue(Buffer.buffer(agent.pki.client.certificatePem()))
                .addKeyValue(Buffer.buffer(agent.pki.client.privateKeyPem()))))
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(agent.port).setSsl(true)
            .setURI("/api/v1/ws/jobs").setHeaders(io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("Host", "localhost")))
        .await(10, TimeUnit.SECONDS);
    CompletableFuture<Short> closed = new CompletableFuture<>();
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
    ws.writeTextMessage("{\"type\":\"subscribe_all\"}");
    Thread.sleep(500);
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
