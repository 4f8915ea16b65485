package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Endpoint 1 on its short way (answered before the router, issue 7): the same envelope, request id (API-3)
 * and access checks (SEC-6) as every other request, and everything that is not a plain probe left to the
 * router. The allow-list side (SEC-4 on a kept-alive connection) is AllowListTest's.
 */
@Tag("API-3")
@Tag("SEC-6")
class HealthProbeTest {

  @TempDir
  Path dir;
  AgentUnderTest agent;

  @BeforeEach
  void start() throws Exception {
    agent = new AgentUnderTest(dir).start();
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  @Test
  @DisplayName("a probe echoes a valid X-Request-ID, replaces an invalid one, and answers the envelope")
  void requestIds() throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response kept = client.get("/health", "X-Request-ID: probe-1.a_b");
      assertThat(kept.status()).isEqualTo(200);
      assertThat(kept.header("X-Request-ID")).isEqualTo("probe-1.a_b");
      JsonObject body = new JsonObject(kept.body());
      assertThat(body.getBoolean("success")).isTrue();
      assertThat(body.getString("request_id")).isEqualTo("probe-1.a_b");
      assertThat(body.getJsonObject("data").getString("status")).isNotBlank();

      TlsClient.Response replaced = client.get("/api/v1/health", "X-Request-ID: no spaces;allowed");
      assertThat(replaced.status()).isEqualTo(200);
      assertThat(replaced.header("X-Request-ID")).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
      assertThat(new JsonObject(replaced.body()).getString("request_id")).isEqualTo(replaced.header("X-Request-ID"));

      TlsClient.Response other = client.get("/health");
      assertThat(other.header("X-Request-ID")).isNotEqualTo(replaced.header("X-Request-ID"));
    }
  }

  @Test
  @DisplayName("an authorization change applies to the next probe of a kept-alive connection, both ways")
  void authorizationOnKeptAliveConnection() throws Exception {
    try (TlsClient keptAlive = agent.connect()) {
      assertThat(keptAlive.get("/health").status()).isEqualTo(200);
      agent.writeConfig("""
          authorization:
            clients:
              "ops-*": admin
          """);
      await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        TlsClient.Response response = keptAlive.get("/health");
        assertThat(response.status()).isEqualTo(403);
        assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code"))
            .isEqualTo("AUTHZ_FORBIDDEN");
      });
      agent.writeConfig("""
          authorization:
            clients:
              "test-*": read
          """);
      await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(keptAlive.get("/health").status()).isEqualTo(200));
    }
  }

  @Test
  @DisplayName("what is not a plain probe takes the router: another method, another path spelling, a body")
  void othersTakeTheRouter() throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response post = client.exchange("POST", "/health", "{}", "Content-Type: application/json");
      assertThat(post.status()).isEqualTo(405);
      assertThat(post.header("Allow")).isEqualTo("GET");
      assertThat(client.get("/health/").status()).isEqualTo(404);
      // The router's request-shape check still sees a repeated Host (the shortcut does not answer it).
      assertThat(client.get("/health", "Host: evil.example").status()).isEqualTo(400);
    }
  }
}
