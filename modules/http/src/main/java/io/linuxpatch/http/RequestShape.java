package io.linuxpatch.http;

import io.linuxpatch.contract.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses requests whose shape is wrong before any body is read: a path that is not canonical, duplicate {@code Host} or
 * {@code Content-Type} (SEC-7, request smuggling), an over-long URI (414) and a body that is not JSON
 * (API-1, 415).
 */
final class RequestShape implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String path = request.path();
    if (path == null || !path.equals(ctx.normalizedPath()) || (path.length() > 1 && path.endsWith("/"))) {
      // The router matches the normalised path (dot segments, //, %-escapes of letters, trailing /) while
      // the permission check reads the operation of the raw one: only canonical paths exist, so both agree.
      ctx.fail(new ApiFailure(ErrorCode.NOT_FOUND, "no such endpoint: the path must be in canonical form"));
      return;
    }
    MultiMap headers = request.headers();
    if (headers.getAll("Host").size() > 1 || headers.getAll("Content-Type").size() > 1) {
      ctx.fail(new ApiFailure(ErrorCode.INVALID_REQUEST, "duplicate Host or Content-Type header",
          new JsonObject().put("headers", "Host and Content-Type may appear once")));
      return;
    }
    if (request.uri().length() > ServerSecurity.MAX_URI_BYTES) {
      ctx.fail(new ApiFailure(ErrorCode.URI_TOO_LONG, "the request URI is longer than "
          + ServerSecurity.MAX_URI_BYTES + " bytes"));
      return;
    }
    if (hasBody(request) && !isJson(request.getHeader("Content-Type"))) {
      ctx.fail(new ApiFailure(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "request bodies must be application/json",
          new JsonObject().put("content_type", String.valueOf(request.getHeader("Content-Type")))));
      return;
    }
    ctx.next();
  }

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    if (length != null) {
      return !"0".equals(length.trim());
    }
    return request.getHeader("Transfer-Encoding") != null;
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return type.equalsIgnoreCase("application/json");
  }
}
