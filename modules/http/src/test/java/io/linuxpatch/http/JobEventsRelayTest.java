package io.linuxpatch.http;

import static io.linuxpatch.http.JobEventsServer.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * JOB-9 over a real mutually authenticated WebSocket: who gets which job event, in which order, and how
 * the socket answers pings, malformed messages and the per-connection and per-verticle limits.
 */
@Tag("JOB-9")
class JobEventsRelayTest {

  private static final int MAX_CONNECTIONS = 4;
  private static final int MAX_SUBSCRIPTIONS = 3;
  private static JobEventsServer server;

  @BeforeAll
  static void start() throws Exception {
    server = JobEventsServer.start(JobEventsServer.Pki.create(), Duration.ofSeconds(30), Duration.ofSeconds(90),
        MAX_CONNECTIONS, MAX_SUBSCRIPTIONS);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static JsonObject subscribe(String jobId) {
    return new JsonObject().put("type", "subscribe").put("job_id", jobId);
  }

  @Test
  @DisplayName("a client subscribed to one job gets its job_status then job_complete, as published, and nothing of other jobs")
  void oneJobInOrder() throws Exception {
    String mine = UUID.randomUUID().toString();
    String other = UUID.randomUUID().toString();
    try (EventsClient client = server.open()) {
      client.send(subscribe(mine));
      client.roundTrip();
      JsonObject running = event("job_status", mine, "running", 40, "Unpacking demo-app");
      JsonObject done = event("job_complete", mine, "completed", 100, "done");
      server.publish(event("job_status", other, "running", 10, "not yours"));
      server.publish(running);
      server.publish(event("job_complete", other, "failed", 100, "not yours either"));
      server.publish(done);
      assertThat(client.next()).isEqualTo(running);
      assertThat(client.next()).isEqualTo(done);
      // Anything of the other job would have been relayed before this pong.
      client.roundTrip();
      assertThat(client.pending()).isZero();
    }
  }

  @Test
  @DisplayName("subscribe_all gets every job's events; unsubscribe stops one job's events")
  void subscribeAllAndUnsubscribe() throws Exception {
    String first = UUID.randomUUID().toString();
    String second = UUID.randomUUID().toString();
    try (EventsClient all = server.open(); EventsClient one = server.open()) {
      all.send(new JsonObject().put("type", "subscribe_all"));
      all.roundTrip();
      one.send(subscribe(first.toUpperCase()));
      one.roundTrip();
      server.publish(event("job_status", first, "running", 1, "a"));
      server.publish(event("job_status", second, "pending", 0, "b"));
      assertThat(all.next().getJsonObject("job").getString("job_id")).isEqualTo(first);
      assertThat(all.next().getJsonObject("job").getString("job_id")).isEqualTo(second);
      assertThat(one.next().getJsonObject("job").getString("job_id")).isEqualTo(first);

      one.send(new JsonObject().put("type", "unsubscribe").put("job_id", first));
      one.roundTrip();
      server.publish(event("job_complete", first, "completed", 100, "c"));
      assertThat(all.next().getString("type")).isEqualTo("job_complete");
      one.roundTrip();
      assertThat(one.pending()).isZero();
    }
  }

  @Test
  @DisplayName("ping is answered pong")
  void pingPong() throws Exception {
    try (EventsClient client = server.open()) {
      client.send("{\"type\":\"ping\"}");
      assertThat(client.next()).isEqualTo(new JsonObject().put("type", "pong"));
    }
  }

  @Test
  @DisplayName("malformed messages get an error frame each and the same socket keeps working")
  void malformedThenWorking() throws Exception {
    String job = UUID.randomUUID().toString();
    try (EventsClient client = server.open()) {
      client.send("{not json");
      client.send("{\"type\":\"subscribe_everything\"}");
      client.send(new JsonObject().put("type", "subscribe").put("job_id", "42"));
      client.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(8000) + "\"}");
      client.ws.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer("{\"type\":\"ping\"}"));
      for (String code : new String[] {"INVALID_JSON", "UNKNOWN_TYPE", "INVALID_JOB_ID", "MESSAGE_TOO_LONG",
          "BINARY_NOT_SUPPORTED"}) {
        JsonObject error = client.next();
        assertThat(error.getString("type")).isEqualTo("error");
        assertThat(error.getString("code")).isEqualTo(code);
        assertThat(error.getString("message")).isNotBlank();
      }
      client.send(subscribe(job));
      client.roundTrip();
      server.publish(event("job_status", job, "running", 5, "still relayed"));
      assertThat(client.next().getJsonObject("job").getString("message")).isEqualTo("still relayed");
      assertThat(client.ws.isClosed()).isFalse();
    }
  }

  @Test
  @DisplayName("subscriptions beyond the per-connection cap are refused with TOO_MANY_SUBSCRIPTIONS; the first ones stay")
  void subscriptionCap() throws Exception {
    try (EventsClient client = server.open()) {
      String kept = UUID.randomUUID().toString();
      client.send(subscribe(kept));
      for (int i = 1; i < MAX_SUBSCRIPTIONS; i++) {
        client.send(subscribe(UUID.randomUUID().toString()));
      }
      client.send(subscribe(kept));
      client.roundTrip();
      String refused = UUID.randomUUID().toString();
      client.send(subscribe(refused));
      assertThat(client.next().getString("code")).isEqualTo("TOO_MANY_SUBSCRIPTIONS");
      server.publish(event("job_status", refused, "running", 1, "refused"));
      server.publish(event("job_status", kept, "running", 1, "kept"));
      assertThat(client.next().getJsonObject("job").getString("message")).isEqualTo("kept");
    }
  }

  @Test
  @DisplayName("past the per-verticle connection cap the upgrade is refused 503 and nothing is upgraded")
  void connectionCap() throws Exception {
    java.util.List<EventsClient> open = new java.util.ArrayList<>();
    try {
      while (server.connections() < MAX_CONNECTIONS) {
        open.add(server.open());
      }
      assertThatThrownBy(() -> server.connect(server.client(true)).await(10, TimeUnit.SECONDS))
          .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> {
            assertThat(e.getStatus()).isEqualTo(503);
            assertThat(new JsonObject(e.getBody()).getJsonObject("error").getString("code"))
                .isEqualTo("SERVICE_UNAVAILABLE");
          });
      assertThat(server.connections()).isEqualTo(MAX_CONNECTIONS);
    } finally {
      open.forEach(EventsClient::close);
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.connections() == 0);
  }

  @Test
  @DisplayName("without a client certificate the TLS handshake fails: the upgrade never happens")
  void noClientCertificate() throws Exception {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.connections() == 0);
    assertThatThrownBy(() -> server.connect(server.client(false)).await(10, TimeUnit.SECONDS))
        .isNotInstanceOf(UpgradeRejectedException.class);
    assertThat(server.connections()).isZero();
  }
}
