package io.linuxpatch.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Reading parameters the OpenAPI layer has already validated (so no parse can fail here), and the API-4
 * empty body.
 */
final class QueryParams {

  private QueryParams() {}

  /** API-6 paging and order, with their defaults. */
  static JsonObject paging(RoutingContext ctx) {
    return new JsonObject()
        .put("limit", integer(ctx, "limit", 100))
        .put("offset", integer(ctx, "offset", 0))
        .put("order", ctx.queryParams().get("order") == null ? "asc" : ctx.queryParams().get("order"));
  }

  static int integer(RoutingContext ctx, String name, int fallback) {
    String value = ctx.queryParams().get(name);
    return value == null ? fallback : Integer.parseInt(value);
  }

  static Boolean bool(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    return value == null ? null : Boolean.valueOf(value);
  }

  /** The request body, or {} for the empty body API-4 allows. */
  static JsonObject body(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().length() == 0) {
      return new JsonObject();
    }
    JsonObject body = ctx.body().asJsonObject();
    return body == null ? new JsonObject() : body;
  }
}
