package io.linuxpatch.tests;

import io.linuxpatch.http.OpenApiDocument;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * API-9 from the client's side: every answer an end-to-end test receives is checked against what the agent's
 * OpenAPI document says its operation answers with that status — the response (or {@code default}), its required
 * headers, its media type and the body's JSON schema — by vertx-openapi's contract and vertx-json-schema. A
 * mismatch is an {@link AssertionError} naming the operation, the status and each offending field, so a test that
 * received an undocumented answer fails even when it did not look at that part of the answer. Answers on paths the
 * document does not have (404, 405 on an unknown method) must be the document's {@code ErrorEnvelope}.
 */
final class DocumentedAnswers {

  private static final OpenAPIContract CONTRACT = parse();

  private DocumentedAnswers() {}

  private static OpenAPIContract parse() {
    Vertx vertx = Vertx.vertx();
    try {
      // Not Future.await: the first check may come from an event loop (Http2Test's answer callback), where await
      // refuses; this contract has a Vert.x of its own, so blocking for it here holds up no one's event loop.
      return OpenAPIContract.from(vertx, OpenApiDocument.load().forContract()).toCompletionStage()
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the agent's openapi.json does not parse", e);
    } finally {
      // Validation needs no Vert.x once the contract is resolved.
      vertx.close();
    }
  }

  /**
   * Checks one answer.
   *
   * @param method  the request's method
   * @param target  the request target (path and query)
   * @param status  the answer's status
   * @param headers the answer's headers, names in lower case; null when the client did not see them (curl)
   * @param body    the answer's body, empty when there was none
   */
  static void check(String method, String target, int status, Map<String, String> headers, String body) {
    String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
    Operation operation = knownMethod(method) ? CONTRACT.findOperation(path, HttpMethod.valueOf(method)) : null;
    if (operation == null) {
      // No operation: an unknown path, a method the path does not have, or a request the codec could not read.
      String where = method + " " + path + " (no operation) " + status;
      checkBody(where, errorEnvelope(), parse(where, body));
      return;
    }
    String where = operation.getOperationId() + " (" + method + " " + operation.getOpenAPIPath() + ") " + status;
    Response response = operation.getResponse(status);
    if (response == null) {
      response = operation.getDefaultResponse();
    }
    if (response == null) {
      throw new AssertionError(where + ": the document has no response for this status (nor a default)");
    }
    if (headers != null) {
      for (Parameter header : response.getHeaders()) {
        String value = headers.get(header.getName().toLowerCase(Locale.ROOT));
        if (value == null) {
          if (header.isRequired()) {
            throw new AssertionError(where + ": header " + header.getName() + " is documented as required and missing");
          }
          continue;
        }
        Object typed = "integer".equals(header.getSchema().get("type")) ? (Object) Long.valueOf(value) : value;
        report(where + ": header " + header.getName() + " = " + value,
            CONTRACT.getSchemaRepository().validator(header.getSchema()).validate(typed));
      }
    }
    if (response.getContent().isEmpty()) {
      if (!body.isEmpty()) {
        throw new AssertionError(where + ": the document describes no body, but the answer has one: " + abbreviated(body));
      }
      return;
    }
    String contentType = headers == null ? "application/json" : headers.get("content-type");
    if (contentType == null) {
      throw new AssertionError(where + ": no Content-Type; documented: " + response.getContent().keySet());
    }
    String baseType = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    MediaType media = response.getContent().get(baseType);
    if (media == null) {
      throw new AssertionError(where + ": Content-Type " + contentType + " is not documented (documented: "
          + response.getContent().keySet() + ")");
    }
    Object value = baseType.equals("application/json") ? parse(where, body) : body;
    checkBody(where, media.getSchema(), value);
  }

  private static boolean knownMethod(String method) {
    return List.of("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS").contains(method);
  }

  private static JsonSchema errorEnvelope() {
    JsonObject resolved = CONTRACT.getRawContract().getJsonObject("components").getJsonObject("schemas")
        .getJsonObject("ErrorEnvelope");
    return JsonSchema.of(resolved);
  }

  private static Object parse(String where, String body) {
    try {
      return Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new AssertionError(where + ": the body is not JSON: " + abbreviated(body), e);
    }
  }

  private static void checkBody(String where, JsonSchema schema, Object value) {
    report(where, CONTRACT.getSchemaRepository().validator(schema).validate(value));
  }

  /** Throws with every leaf error of {@code output}: where in the answer, and what the schema wanted. */
  private static void report(String where, OutputUnit output) {
    if (Boolean.TRUE.equals(output.getValid())) {
      return;
    }
    List<String> problems = new ArrayList<>();
    collect(output, problems);
    throw new AssertionError(where + ": the answer does not match the document:\n  " + String.join("\n  ", problems));
  }

  private static void collect(OutputUnit unit, List<String> problems) {
    if (unit.getErrors() == null || unit.getErrors().isEmpty()) {
      if (unit.getError() != null) {
        String field = unit.getInstanceLocation() == null || unit.getInstanceLocation().isEmpty() ? "(the body)"
            : unit.getInstanceLocation();
        problems.add(field + ": " + unit.getError() + " [" + unit.getKeywordLocation() + "]");
      }
      return;
    }
    unit.getErrors().forEach(e -> collect(e, problems));
  }

  private static String abbreviated(String body) {
    return body.length() > 300 ? body.substring(0, 300) + "…" : body;
  }
}
