package io.linuxpatch.http;

import io.linuxpatch.contract.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Writes every answer in the API-2 envelope:
 * {@code {"success", "request_id", "timestamp", "data", "error"}}.
 */
final class Envelope {

  private Envelope() {}

  static void ok(RoutingContext ctx, int status, JsonObject data) {
    send(ctx, status, new JsonObject()
        .put("success", true)
        .put("request_id", RequestIds.of(ctx))
        .put("timestamp", now())
        .put("data", data)
        .putNull("error"));
  }

  static void error(RoutingContext ctx, ErrorCode code, String message, JsonObject details) {
    error(ctx, code.httpStatus(), code.name(), message, details, code.retryable());
  }

  static void error(RoutingContext ctx, int status, String code, String message, JsonObject details,
      boolean retryable) {
    send(ctx, status, new JsonObject()
        .put("success", false)
        .put("request_id", RequestIds.of(ctx))
        .put("timestamp", now())
        .putNull("data")
        .put("error", new JsonObject()
            .put("code", code)
            .put("message", message)
            .put("details", details == null ? new JsonObject() : details)
            .put("retryable", retryable)));
  }

  private static void send(RoutingContext ctx, int status, JsonObject body) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      // Too late for a status line: the only honest thing left is to cut the connection.
      ctx.request().connection().close();
      return;
    }
    response.setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(Buffer.buffer(body.encode()));
  }

  /** RFC 3339 UTC with Z, millisecond precision. */
  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
