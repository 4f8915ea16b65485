package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** API-1, API-2, API-4, API-7, SEC-7 and endpoints 9 and 17 against a real agent. */
@Tag("API-1")
@Tag("API-2")
@Tag("API-4")
@Tag("API-7")
@Tag("SEC-7")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiConventionsTest {

  @TempDir
  static Path dir;
  AgentUnderTest agent;

  @BeforeAll
  void start() throws Exception {
    agent = new AgentUnderTest(dir).start();
  }

  @AfterAll
  void stop() {
    agent.close();
  }

  private static JsonObject error(TlsClient.Response response) {
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getBoolean("success")).isFalse();
    assertThat(body.getValue("data")).isNull();
    assertThat(body.getString("request_id")).isNotBlank();
    JsonObject error = body.getJsonObject("error");
    assertThat(error.fieldNames()).containsExactlyInAnyOrder("code", "message", "details", "retryable");
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    return error;
  }

  @Test
  @DisplayName("an unknown path is a 404 NOT_FOUND envelope")
  void unknownPath() throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = client.get("/api/v1/nothing-here");
      assertThat(response.status()).isEqualTo(404);
      assertThat(error(response).getString("code")).isEqualTo("NOT_FOUND");
    }
  }

  @Test
  @DisplayName("a known path with a wrong method is a 405 METHOD_NOT_ALLOWED envelope with Allow")
  void wrongMethod() throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = client.exchange("DELETE", "/api/v1/system/info", null);
      assertThat(response.status()).isEqualTo(405);
      assertThat(response.header("Allow")).isEqualTo("GET");
      assertThat(error(response).getString("code")).isEqualTo("METHOD_NOT_ALLOWED");
    }
  }

  @Test
  @DisplayName("headers over 8 KiB are answered 431 HEADERS_TOO_LARGE in the envelope, and the connection is closed")
  void oversizedHeaders() throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = client.get("/health", "X-Filler: " + "a".repeat(9000), "X-Request-ID: big-headers");
      assertThat(response.status()).isEqualTo(431);
      assertThat(error(response).getString("code")).isEqualTo("HEADERS_TOO_LARGE");
      assertThat(response.header("X-Request-ID")).isNotBlank();
      assertThat(client.closedByServerWithin(5)).isTrue();
    }
  }

  @Test
  @DisplayName("a URI over 4 KiB is answered 414 URI_TOO_LONG in the envelope")
  void longUri() throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = client.get("/health?x=" + "a".repeat(5000));
      assertThat(response.status()).isEqualTo(414);
      assertThat(error(response).getString("code")).isEqualTo("URI_TOO_LONG");
    }
  }

  @Test
  @DisplayName("a duplicate Host header is a 400 INVALID_REQUEST")
  void duplicateHost() throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = client.get("/health", "Host: evil.example");
      assertThat(response.status()).isEqualTo(400);
      assertThat(error(response).getString("code")).isEqualTo("INVALID_REQUEST");
    }
  }

  @Test
  @DisplayName("a body that is not JSON is a 415 UNSUPPORTED_MEDIA_TYPE")
  void notJson() throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = client.exchange("GET", "/api/v1/system/info", "a=b",
          "Content-Type: application/x-www-form-urlencoded");
      assertThat(response.status()).isEqualTo(415);
      assertThat(error(response).getString("code")).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }
  }

  @Test
  @DisplayName("a body over 1 MiB is refused 413 from its Content-Length")
  void bodyTooLarge() throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = client.exchange("GET", "/api/v1/system/info", "x".repeat(1024 * 1024 + 10),
          "Content-Type: application/json");
      assertThat(response.status()).isEqualTo(413);
      assertThat(error(response).getString("code")).isEqualTo("PAYLOAD_TOO_LARGE");
    }
  }

  @Test
  @DisplayName("the OpenAPI 3.1 document is served raw and names every route the agent answers")
  void openApiDocument() throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = client.get("/api/v1/openapi.json");
      assertThat(response.status()).isEqualTo(200);
      JsonObject document = new JsonObject(response.body());
      assertThat(document.getString("openapi")).startsWith("3.1");
      assertThat(document.getJsonObject("paths").fieldNames())
          .contains("/health", "/api/v1/health", "/api/v1/system/info", "/api/v1/system/services/{name}");
    }
  }

  @Test
  @DisplayName("system info reports this host's facts")
  void systemInfo() throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = client.get("/api/v1/system/info");
      assertThat(response.status()).isEqualTo(200);
      JsonObject data = new JsonObject(response.body()).getJsonObject("data");
      assertThat(data.getInteger("cpu_count")).isEqualTo(Runtime.getRuntime().availableProcessors());
      assertThat(data.getString("kernel")).isEqualTo(System.getProperty("os.version"));
      assertThat(data.getString("api_version")).isEqualTo("v1");
      assertThat(data.getJsonObject("reboot_required").getBoolean("required")).isFalse();
    }
  }

  @Test
  @DisplayName("a service name apt or systemctl could read as an option is refused 400 by the OpenAPI validation")
  void hostileServiceName() throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = client.get("/api/v1/system/services/-H");
      assertThat(response.status()).isEqualTo(400);
      JsonObject error = error(response);
      assertThat(error.getString("code")).isEqualTo("INVALID_REQUEST");
      assertThat(error.getJsonObject("details").encode()).contains("name");
    }
  }

  @Test
  @DisplayName("a request that has not arrived completely within request_timeout_seconds is dropped without answer")
  void slowRequestDropped() throws Exception {
    try (TlsClient client = agent.connect()) {
      client.sendRaw("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
      long start = System.nanoTime();
      assertThat(client.closedByServerWithin(8)).isTrue();
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(6));
    }
  }

  @Test
  @DisplayName("an idle kept-alive connection outlives the request deadline (only the idle timeout closes it)")
  void idleConnectionKept() throws Exception {
    try (TlsClient client = agent.connect()) {
      assertThat(client.get("/health").status()).isEqualTo(200);
      assertThat(client.closedByServerWithin(4)).isFalse();
      assertThat(client.get("/health").status()).isEqualTo(200);
    }
  }
}
