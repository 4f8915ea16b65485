package io.linuxpatch.http;

import io.linuxpatch.internals.DirectBuffers;
import io.linuxpatch.contract.EncodedJson;
import io.linuxpatch.contract.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes every answer in the API-2 envelope:
 * {@code {"success", "request_id", "timestamp", "data", "error"}}.
 */
final class Envelope {

  private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");

  private Envelope() {}

  static void ok(RoutingContext ctx, int status, JsonObject data) {
    send(ctx, status, EnvelopeEncoding.ok(RequestIds.of(ctx), now(), data));
  }

  /** Data encoded once by its owner (an unchanged listing): written as it is, not copied (issue 7). */
  static void ok(RoutingContext ctx, int status, EncodedJson data) {
    send(ctx, status, EnvelopeEncoding.ok(RequestIds.of(ctx), now(), data.bytes()));
  }

  /** The same answer straight on a response, for requests answered without the router ({@link ProbeShortcut}). */
  static void ok(HttpServerResponse response, String requestId, int status, EncodedJson data) {
    answer(response.putHeader(RequestIds.HEADER, requestId), status,
        EnvelopeEncoding.ok(requestId, now(), data.bytes()));
  }

  /** A bus answer: pre-encoded or an object. */
  static void ok(RoutingContext ctx, int status, Object data) {
    if (data instanceof EncodedJson encoded) {
      ok(ctx, status, encoded);
    } else {
      ok(ctx, status, (JsonObject) data);
    }
  }

  static void error(RoutingContext ctx, ErrorCode code, String message, JsonObject details) {
    error(ctx, code.httpStatus(), code.name(), message, details, code.retryable());
  }

  static void error(RoutingContext ctx, int status, String code, String message, JsonObject details,
      boolean retryable) {
    send(ctx, status, errorBody(RequestIds.of(ctx), code, message, details, retryable));
  }

  /**
   * An error straight on a response, for requests answered without the router ({@link MalformedRequests}): the
   * request id header and the same envelope as {@link #error(RoutingContext, ErrorCode, String, JsonObject)}.
   */
  static void error(HttpServerResponse response, String requestId, ErrorCode code, String message,
      JsonObject details) {
    answer(response.putHeader(RequestIds.HEADER, requestId), code.httpStatus(),
        Buffer.buffer(errorBody(requestId, code.name(), message, details, code.retryable()).encode()));
  }

  private static JsonObject errorBody(String requestId, String code, String message, JsonObject details,
      boolean retryable) {
    return new JsonObject()
        .put("success", false)
        .put("request_id", requestId)
        .put("timestamp", now())
        .putNull("data")
        .put("error", new JsonObject()
            .put("code", code)
            .put("message", message)
            .put("details", details == null ? new JsonObject() : details)
            .put("retryable", retryable));
  }

  private static void send(RoutingContext ctx, int status, JsonObject body) {
    send(ctx, status, Buffer.buffer(body.encode()));
  }

  private static void send(RoutingContext ctx, int status, Buffer body) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      // Too late for a status line: the only honest thing left is to cut the connection.
      ctx.request().connection().close();
      return;
    }
    answer(response, status, body);
  }

  /** {@link #send(RoutingContext, int, Buffer)} for bytes this class allocated: released whatever happens. */
  private static void send(RoutingContext ctx, int status, ByteBuf owned) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed() || response.headWritten()) {
      owned.release();
      send(ctx, status, Buffer.buffer()); // writes nothing; cuts the connection if the head went out
      return;
    }
    answer(response, status, owned);
  }

  /**
   * Writes bytes this class allocated and releases them once the write is done or has failed. Vert.x hands a
   * wrapped Netty buffer to the channel as an unreleasable view, so nothing on the way releases it: left to the
   * garbage collector, a pooled buffer's memory came back on Java 17 only when its chunk was collected, and on
   * Java 25 (Netty without sun.misc.Unsafe, memory from a shared Arena) never (issue 16: 2 GB after the load).
   */
  private static void answer(HttpServerResponse response, int status, ByteBuf owned) {
    Future<Void> written;
    try {
      written = answer(response, status, DirectBuffers.wrap(owned));
    } catch (RuntimeException e) {
      owned.release();
      throw e;
    }
    written.onComplete(done -> owned.release());
  }

  private static Future<Void> answer(HttpServerResponse response, int status, Buffer body) {
    return response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
        .putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE)
        .end(body);
  }

  /** RFC 3339 UTC with Z, millisecond precision. */
  static String now() {
    return EnvelopeEncoding.now();
  }
}
