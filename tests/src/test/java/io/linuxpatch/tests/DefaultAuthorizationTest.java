package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * SEC-6 least privilege end to end: with no {@code authorization} section an authenticated client may read
 * and nothing more. Every operation the agent's own OpenAPI document marks {@code operate} or {@code admin} is
 * tried, so a mutation added later is covered without editing this test.
 */
@Tag("SEC-6")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DefaultAuthorizationTest {

  private static final String JOB_ID = "00000000-0000-4000-8000-000000000000";

  @TempDir
  static Path dir;
  AgentUnderTest agent;

  @BeforeAll
  void start() throws Exception {
    agent = new AgentUnderTest(dir).start(); // the test configuration has no authorization section
  }

  @AfterAll
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private TlsClient.Response send(String method, String path, String body) throws Exception {
    try (TlsClient client = agent.connect()) {
      return body == null ? client.exchange(method, path, null)
          : client.exchange(method, path, body, "Content-Type: application/json");
    }
  }

  /** Method and path (parameters filled in) of every operation of the agent's document needing {@code operate}/{@code admin}. */
  private List<String[]> mutations() throws Exception {
    TlsClient.Response document = send("GET", "/api/v1/openapi.json", null);
    assertThat(document.status()).isEqualTo(200);
    List<String[]> mutations = new ArrayList<>();
    JsonObject paths = new JsonObject(document.body()).getJsonObject("paths");
    for (Map.Entry<String, Object> path : paths) {
      for (Map.Entry<String, Object> operation : (JsonObject) path.getValue()) {
        if (operation.getValue() instanceof JsonObject op && op.containsKey("x-lpa-permission")
            && !"read".equals(op.getString("x-lpa-permission"))) {
          String concrete = path.getKey().replace("{name}", "demo-app").replace("{id}", JOB_ID);
          assertThat(concrete).as("a path parameter this test does not fill in").doesNotContain("{");
          mutations.add(new String[] {operation.getKey().toUpperCase(Locale.ROOT), concrete});
        }
      }
    }
    return mutations;
  }

  @Test
  @DisplayName("without an authorization section a client reads (200) and every operate or admin operation is 403 naming authorization.clients")
  void readOnlyByDefault() throws Exception {
    assertThat(send("GET", "/api/v1/system/info", null).status()).isEqualTo(200);
    assertThat(send("GET", "/api/v1/jobs", null).status()).isEqualTo(200);
    assertThat(send("GET", "/health", null).status()).isEqualTo(200);

    List<String[]> mutations = mutations();
    assertThat(mutations).extracting(m -> m[0] + " " + m[1]).contains("POST /api/v1/packages",
        "DELETE /api/v1/packages/demo-app", "POST /api/v1/system/reboot", "POST /api/v1/jobs/" + JOB_ID + "/rollback");
    for (String[] mutation : mutations) {
      String body = mutation[0].equals("DELETE") ? null : "{}";
      TlsClient.Response response = send(mutation[0], mutation[1], body);
      assertThat(response.status()).as(mutation[0] + " " + mutation[1] + ": " + response.body()).isEqualTo(403);
      JsonObject error = new JsonObject(response.body()).getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("AUTHZ_FORBIDDEN");
      assertThat(error.getString("message")).contains("mutations are disabled").contains("authorization.clients");
      assertThat(error.getJsonObject("details").getString("reason")).isEqualTo("read_only_default");
    }
    TlsClient.Response jobs = send("GET", "/api/v1/jobs", null);
    assertThat(new JsonObject(jobs.body()).getJsonObject("data").getInteger("total")).as("nothing was started").isZero();
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
        assertThat(agent.auditRecords().stream().filter(r -> "read_only_default".equals(r.getString("refusal"))))
            .hasSize(mutations.size()));
  }
}
