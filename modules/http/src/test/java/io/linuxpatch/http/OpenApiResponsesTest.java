package io.linuxpatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.health.HealthStatus;
import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.contract.jobs.JobOperation;
import io.linuxpatch.contract.jobs.JobStatus;
import io.linuxpatch.contract.packages.Severity;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Response;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * API-9 in the document itself: every answer is described (one schema per operation and status, an example
 * each, which the schema accepts), the enums are the contract module's, and clients learn where agents are
 * ({@code servers}) and how they authenticate ({@code mutualTLS}).
 */
@Tag("API-9")
@ExtendWith(VertxExtension.class)
class OpenApiResponsesTest {

  private static JsonObject document;
  private static OpenAPIContract contract;

  @BeforeAll
  static void parse(Vertx vertx) throws Exception {
    document = OpenApiDocument.load().json();
    contract = OpenAPIContract.from(vertx, OpenApiDocument.load().forContract())
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static JsonArray enumOf(String schema) {
    return document.getJsonObject("components").getJsonObject("schemas").getJsonObject(schema).getJsonArray("enum");
  }

  private static <E extends Enum<E>> List<String> wire(E[] values, Function<E, String> name) {
    return Arrays.stream(values).map(name).collect(Collectors.toList());
  }

  @Test
  @DisplayName("The document's enums are exactly the contract module's: ErrorCode, JobStatus, JobOperation, JobError, Severity, HealthStatus")
  void enumsFromTheContract() {
    assertThat(enumOf("ErrorCode").getList()).containsExactlyElementsOf(wire(ErrorCode.values(), Enum::name));
    assertThat(enumOf("JobStatus").getList()).containsExactlyElementsOf(wire(JobStatus.values(), JobStatus::wire));
    assertThat(enumOf("JobOperation").getList())
        .containsExactlyElementsOf(wire(JobOperation.values(), JobOperation::wire));
    assertThat(enumOf("JobErrorCode").getList()).containsExactlyElementsOf(wire(JobError.values(), Enum::name));
    assertThat(enumOf("Severity").getList()).containsExactlyElementsOf(wire(Severity.values(), Severity::json));
    assertThat(enumOf("HealthStatus").getList())
        .containsExactlyElementsOf(wire(HealthStatus.values(), HealthStatus::json));
    assertThat(ErrorCode.values()).extracting(Enum::name).containsAll(enumOf("ProtocolErrorCode").getList().stream()
        .map(String::valueOf).toList());
  }

  @Test
  @DisplayName("Every operation has a tag, and every response but the WebSocket's 101 a schema and an example that the schema accepts")
  void everyAnswerDescribed() {
    assertThat(contract.operations()).hasSize(24);
    for (Operation operation : contract.operations()) {
      assertThat(operation.getTags()).as(operation.getOperationId()).hasSize(1);
      JsonObject responses = document.getJsonObject("paths").getJsonObject(operation.getOpenAPIPath())
          .getJsonObject(operation.getHttpMethod().name().toLowerCase(Locale.ROOT)).getJsonObject("responses");
      assertThat(responses.fieldNames()).as(operation.getOperationId()).contains("default", "403");
      for (String status : responses.fieldNames()) {
        String where = operation.getOperationId() + " " + status;
        Response response = status.equals("default") ? operation.getDefaultResponse()
            : operation.getResponse(Integer.parseInt(status));
        if (status.equals("101")) {
          assertThat(response.getContent()).as(where).isEmpty();
          continue;
        }
        assertThat(response.getContent()).as(where).hasSize(1);
        for (Map.Entry<String, MediaType> media : response.getContent().entrySet()) {
          // From the document as written: the resolved model carries the resolver's own annotations.
          Object example = written(responses.getJsonObject(status)).getJsonObject("content")
              .getJsonObject(media.getKey()).getValue("example");
          assertThat(example).as(where + " example").isNotNull();
          OutputUnit output = contract.getSchemaRepository().validator(media.getValue().getSchema()).validate(example);
          assertThat(output.getValid()).as(where + " example against its schema: " + output.getErrors()).isTrue();
        }
        assertThat(response.getHeaders().stream().map(h -> h.getName()).toList()).as(where).contains("X-Request-ID");
      }
    }
  }

  /** A response as written, following a reference to components.responses. */
  private static JsonObject written(JsonObject response) {
    String ref = response.getString("$ref");
    return ref == null ? response
        : document.getJsonObject("components").getJsonObject("responses").getJsonObject(ref.substring(ref.lastIndexOf('/') + 1));
  }

  @Test
  @DisplayName("servers has host and port variables, mutualTLS is the global security requirement, and forContract drops only those two for vertx-openapi")
  void serversAndSecurity() {
    JsonObject server = document.getJsonArray("servers").getJsonObject(0);
    assertThat(server.getString("url")).isEqualTo("https://{host}:{port}");
    assertThat(server.getJsonObject("variables").fieldNames()).containsExactlyInAnyOrder("host", "port");
    assertThat(server.getJsonObject("variables").getJsonObject("port").getString("default")).isEqualTo("12443");
    assertThat(document.getJsonArray("security")).containsExactly(new JsonObject().put("mutualTLS", new JsonArray()));
    assertThat(document.getJsonObject("components").getJsonObject("securitySchemes").getJsonObject("mutualTLS")
        .getString("type")).isEqualTo("mutualTLS");
    JsonObject forContract = OpenApiDocument.load().forContract();
    assertThat(forContract.fieldNames()).doesNotContain("servers", "security");
    JsonObject rest = document.copy();
    rest.remove("servers");
    rest.remove("security");
    assertThat(forContract).isEqualTo(rest);
  }
}
