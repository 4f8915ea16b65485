package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link DocumentedAnswers}, the check every end-to-end answer goes through: it accepts answers as the agent
 * gives them and refuses, naming the operation and the field, answers the document does not describe.
 */
class DocumentedAnswersTest {

  private static final Map<String, String> JSON = Map.of("content-type", "application/json", "x-request-id", "r-1");

  private static JsonObject ok(Object data) {
    return new JsonObject().put("success", true).put("request_id", "r-1").put("timestamp", "2026-12-03T05:52:10.287Z")
        .put("data", data).putNull("error");
  }

  private static JsonObject refusal(String code) {
    return new JsonObject().put("success", false).put("request_id", "r-1").put("timestamp", "2026-12-03T05:52:10.287Z")
        .putNull("data").put("error", new JsonObject().put("code", code).put("message", "no")
            .put("details", new JsonObject()).put("retryable", false));
  }

  private static JsonObject health() {
    return new JsonObject().put("status", "healthy").put("version", "1").put("uptime_seconds", 3)
        .put("host_uptime_seconds", 9).put("checks", new JsonObject().put("disk", new JsonObject()
            .put("status", "healthy").put("message", "fine").put("details", new JsonObject().put("free_bytes", 1))
            .put("checked_at", "2026-12-03T05:52:06.506197377Z")));
  }

  private static JsonObject job(String status) {
    return new JsonObject().put("job_id", "eda7aee2-f6df-44ae-a526-4b246284a98d").put("operation", "install")
        .put("status", status).put("progress", 0).put("message", "queued")
        .put("created_at", "2026-12-03T05:52:15.281Z").putNull("started_at").put("updated_at", "2026-12-03T05:52:15.281Z")
        .putNull("completed_at").put("request_id", "r-1").put("requested_by", new JsonObject().put("cn", "c"))
        .put("packages", new JsonArray().add("demo-app")).put("changes", new JsonArray()).putNull("exit_code")
        .putNull("error").putNull("error_code").putNull("retryable").putNull("rollback_of").putNull("rolled_back_by")
        .put("params", new JsonObject());
  }

  @Test
  @DisplayName("a health answer as the agent gives it is accepted, on /health and with a query on /api/v1/health")
  void healthAccepted() {
    assertThatCode(() -> DocumentedAnswers.check("GET", "/health", 200, JSON, ok(health()).encode()))
        .doesNotThrowAnyException();
    assertThatCode(() -> DocumentedAnswers.check("GET", "/api/v1/health?x=1", 503, JSON, ok(health()).encode()))
        .doesNotThrowAnyException();
  }

  @Test
  @DisplayName("a success without the envelope's error field is refused, naming the operation and the missing field")
  void missingEnvelopeField() {
    JsonObject answer = ok(health());
    answer.remove("error");
    assertThatThrownBy(() -> DocumentedAnswers.check("GET", "/health", 200, JSON, answer.encode()))
        .hasMessageContaining("getHealth").hasMessageContaining("200").hasMessageContaining("error");
  }

  @Test
  @Tag("JOB-2")
  @DisplayName("a job status outside JOB-2's enum is refused at /data/status; an undocumented field at its place")
  void wrongJobFields() {
    String path = "/api/v1/jobs/eda7aee2-f6df-44ae-a526-4b246284a98d";
    assertThatCode(() -> DocumentedAnswers.check("GET", "/api/v1/jobs?limit=1", 200, JSON,
        ok(new JsonObject().put("jobs", new JsonArray().add(job("running"))).put("total", 1).put("limit", 1)
            .put("offset", 0)).encode())).doesNotThrowAnyException();
    JsonObject full = job("done").put("logs", new JsonArray()).putNull("plan");
    assertThatThrownBy(() -> DocumentedAnswers.check("GET", path, 200, JSON, ok(full).encode()))
        .hasMessageContaining("getJob").hasMessageContaining("/data/status");
    JsonObject extra = job("running").put("logs", new JsonArray()).putNull("plan").put("surprise", 1);
    assertThatThrownBy(() -> DocumentedAnswers.check("GET", path, 200, JSON, ok(extra).encode()))
        .hasMessageContaining("getJob").hasMessageContaining("surprise");
  }

  @Test
  @DisplayName("a 202 without its Location header is refused")
  void locationRequired() {
    assertThatThrownBy(() -> DocumentedAnswers.check("POST", "/api/v1/packages/cache", 202, JSON,
        ok(job("pending").put("operation", "cache_refresh")).encode()))
        .hasMessageContaining("refreshCache").hasMessageContaining("Location");
  }

  @Test
  @DisplayName("a status the operation does not document falls to default, which only allows the HTTP layer's codes")
  void undocumentedStatus() {
    assertThatCode(() -> DocumentedAnswers.check("GET", "/api/v1/system/info", 415, JSON,
        refusal("UNSUPPORTED_MEDIA_TYPE").encode())).doesNotThrowAnyException();
    assertThatThrownBy(() -> DocumentedAnswers.check("GET", "/api/v1/system/info", 404, JSON,
        refusal("PKG_NOT_FOUND").encode())).hasMessageContaining("getSystemInfo").hasMessageContaining("/error/code");
  }

  @Test
  @DisplayName("an error code outside the contract's ErrorCode is refused even where the status is documented")
  void unknownErrorCode() {
    assertThatThrownBy(() -> DocumentedAnswers.check("GET", "/api/v1/packages/x", 404, JSON,
        refusal("NO_SUCH_THING").encode())).hasMessageContaining("getPackage").hasMessageContaining("/error/code");
  }

  @Test
  @DisplayName("answers on paths the document lacks must be the error envelope; a media type it does not list is refused")
  void noOperationAndMediaType() {
    assertThatCode(() -> DocumentedAnswers.check("GET", "/api/v1/nothing", 404, JSON, refusal("NOT_FOUND").encode()))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> DocumentedAnswers.check("GET", "/api/v1/nothing", 404, JSON, "{\"oops\":1}"))
        .hasMessageContaining("no operation");
    assertThatThrownBy(() -> DocumentedAnswers.check("GET", "/health", 200,
        Map.of("content-type", "text/html", "x-request-id", "r-1"), ok(health()).encode()))
        .hasMessageContaining("text/html");
  }
}
