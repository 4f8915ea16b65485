package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SEC-8: per-client budgets shared by every HTTP verticle instance, 429 with Retry-After, probes exempt. */
@Tag("SEC-8")
class RateLimitTest {

  @TempDir
  Path dir;
  AgentUnderTest agent;

  @BeforeEach
  void start() throws Exception {
    agent = new AgentUnderTest(dir);
    agent.rateLimitYaml = "  reads_per_minute: 6\n  reads_burst: 3\n";
    agent.writeConfig("");
    agent.start();
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  @Test
  @DisplayName("the budget holds across connections served by different HTTP verticle instances: the 4th read is 429")
  void sharedAcrossInstances() throws Exception {
    int[] statuses = new int[5];
    for (int i = 0; i < statuses.length; i++) {
      // A new connection each time: the agent runs 2 HTTP verticles, and Vert.x spreads connections over them.
      try (TlsClient client = agent.connect()) {
        statuses[i] = client.get("/api/v1/system/info").status();
      }
    }
    assertThat(statuses).containsExactly(200, 200, 200, 429, 429);
  }

  @Test
  @DisplayName("a refusal is the RATE_LIMIT_EXCEEDED envelope with Retry-After and details.retry_after_seconds")
  void refusalShape() throws Exception {
    try (TlsClient client = agent.connect()) {
      for (int i = 0; i < 3; i++) {
        assertThat(client.get("/api/v1/system/info").status()).isEqualTo(200);
      }
      TlsClient.Response refused = client.get("/api/v1/system/info");
      assertThat(refused.status()).isEqualTo(429);
      long retryAfter = Long.parseLong(refused.header("Retry-After"));
      assertThat(retryAfter).isBetween(1L, 10L);
      JsonObject error = new JsonObject(refused.body()).getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("RATE_LIMIT_EXCEEDED");
      assertThat(error.getBoolean("retryable")).isTrue();
      assertThat(error.getJsonObject("details").getLong("retry_after_seconds")).isEqualTo(retryAfter);
      // The health probes are exempt.
      for (int i = 0; i < 10; i++) {
        assertThat(client.get("/health").status()).isEqualTo(200);
      }
    }
  }
}
