package io.linuxpatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidationContext;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bundled document as vertx-openapi reads it (the contract the router validates against), and
 * {@link ValidationDetails} on validation failures made by that library.
 */
@ExtendWith(VertxExtension.class)
class OpenApiContractTest {

  private static OpenAPIContract contract;
  private static final ValidationDetails DETAILS = new ValidationDetails(OpenApiDocument.load().json());

  @BeforeAll
  static void parse(Vertx vertx) throws Exception {
    contract = OpenAPIContract.from(vertx, OpenApiDocument.load().forContract())
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Parameter serviceName() {
    return contract.operation("getService").getParameters().stream()
        .filter(p -> p.getName().equals("name")).findFirst().orElseThrow();
  }

  /** The output of validating {@code value} against the schema the document gives the service name. */
  private static OutputUnit validateServiceName(Object value) {
    return contract.getSchemaRepository().validator(serviceName().getSchema()).validate(value);
  }

  @Test
  @DisplayName("OpenAPIContract.from accepts the bundled document and finds every operation of it")
  void contractParses(Vertx vertx, VertxTestContext test) {
    OpenAPIContract.from(vertx, OpenApiDocument.load().forContract()).onComplete(test.succeeding(parsed -> test.verify(() -> {
      assertThat(parsed.operations()).extracting(Operation::getOperationId)
          .contains("getHealth", "getHealthV1", "getSystemInfo", "getService", "getOpenApi");
      test.completeNow();
    })));
  }

  @Test
  @DisplayName("Every operation vertx-openapi reads carries the x-lpa-permission extension Permissions looks up")
  void extensionsVisibleToPermissions() {
    for (Operation operation : contract.operations()) {
      assertThat(operation.getExtensions().get("x-lpa-permission")).as(operation.getOperationId())
          .isIn("read", "operate", "admin");
    }
  }

  @Test
  @DisplayName("findOperation resolves a concrete path to its templated operation and unknown paths to null")
  void findOperation() {
    assertThat(contract.findOperation("/api/v1/system/services/ssh.service", HttpMethod.GET).getOperationId())
        .isEqualTo("getService");
    assertThat(contract.findOperation("/api/v1/nope", HttpMethod.GET)).isNull();
  }

  @Test
  @DisplayName("A missing required parameter is reported under the parameter's name")
  void missingParameterNamed() {
    ValidatorException e = ValidatorException.createMissingRequiredParameter(serviceName());
    JsonObject details = DETAILS.of(e);
    assertThat(details.getJsonObject("fields").fieldNames()).containsExactly("name");
    assertThat(details.getJsonObject("fields").getString("name")).isEqualTo(e.getMessage());
  }

  @Test
  @DisplayName("A parameter value the schema refuses is reported under the parameter's name with the schema's reason")
  void invalidParameterValueNamed() {
    OutputUnit output = validateServiceName("-rf");
    SchemaValidationException e = SchemaValidationException.createInvalidValueParameter(serviceName(), output,
        failureOf(output));
    JsonObject fields = DETAILS.of(e).getJsonObject("fields");
    assertThat(fields.fieldNames()).containsExactly("name");
    assertThat(fields.getString("name")).isNotBlank().doesNotContain("Exception");
  }

  @Test
  @DisplayName("Body errors are keyed by body plus the JSON pointer of each offending field, one entry per field")
  void bodyFieldsByPointer() {
    OutputUnit output = new OutputUnit(false)
        .addError(new OutputUnit("/packages/0/name", "#/properties/packages", "#/properties/packages",
            "does not match pattern", null))
        .addError(new OutputUnit("/dry_run", "#/properties/dry_run", "#/properties/dry_run",
            "expected boolean", null));
    SchemaValidationException e = SchemaValidationException.createInvalidValueBody(output, ValidationContext.REQUEST,
        null);
    JsonObject fields = DETAILS.of(e).getJsonObject("fields");
    assertThat(fields).isEqualTo(new JsonObject()
        .put("body/packages/0/name", "does not match pattern")
        .put("body/dry_run", "expected boolean"));
  }

  @Test
  @DisplayName("A package name that breaks the name pattern is reported under its own field, naming the rule")
  void namePatternNamed() {
    JsonObject fields = DETAILS.of(invalidBody("installPackages",
        new JsonObject().put("packages", new JsonArray().add(new JsonObject().put("name", "bad name!")))))
        .getJsonObject("fields");
    assertThat(fields.fieldNames()).containsExactly("body/packages/0/name");
    assertThat(fields.getString("body/packages/0/name"))
        .isEqualTo("String does not match pattern (pattern: ^[A-Za-z0-9_+][A-Za-z0-9_+.-]{0,127}$)");
  }

  @Test
  @DisplayName("A field the object does not have is reported under its own pointer, not under the objects around it")
  void unknownFieldNamed() {
    JsonObject fields = DETAILS.of(invalidBody("installPackages", new JsonObject().put("packages",
        new JsonArray().add(new JsonObject().put("name", "nginx").put("colour", "red"))))).getJsonObject("fields");
    assertThat(fields.fieldNames()).containsExactly("body/packages/0/colour");
  }

  /** What vertx-openapi's request validator raises for {@code body} sent to {@code operationId}. */
  private static SchemaValidationException invalidBody(String operationId, JsonObject body) {
    OutputUnit output = contract.getSchemaRepository().validator(contract.operation(operationId).getRequestBody()
        .getContent().get("application/json").getSchema()).validate(body);
    return SchemaValidationException.createInvalidValueBody(output, ValidationContext.REQUEST, failureOf(output));
  }

  /** The exception vertx-json-schema raises for an invalid {@code output}, as the validator hands it on. */
  private static JsonSchemaValidationException failureOf(OutputUnit output) {
    assertThat(output.getValid()).isFalse();
    try {
      output.checkValidity();
    } catch (JsonSchemaValidationException expected) {
      return expected;
    }
    throw new AssertionError("checkValidity accepted an invalid output");
  }

  @Test
  @DisplayName("A validation failure without schema output is reported under body with its message")
  void plainMessageUnderBody() {
    ValidatorException e = new ValidatorException("The request body is missing", ValidatorErrorType.MISSING_REQUIRED_PARAMETER);
    assertThat(DETAILS.of(e))
        .isEqualTo(new JsonObject().put("fields", new JsonObject().put("body", "The request body is missing")));
  }
}
