package io.linuxpatch.http;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ErrorCode;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Packages, patches and holds (endpoints 2 to 8): reads and dry-run plans answered by PackageVerticle over
 * the event bus. Parameters reach here already validated against the OpenAPI document; the backend's own
 * name rules (SEC-9, e.g. a trailing {@code +}) are checked by PackageVerticle, which knows the package
 * database. A change that is not a dry run needs the job engine, which this build does not have yet.
 */
final class PackageRoutes {

  /** apt's simulation takes tens of milliseconds; a cold cache on a big host can take seconds. */
  private static final DeliveryOptions ONE_MINUTE = new DeliveryOptions().setSendTimeout(60_000);

  private final EventBus bus;

  PackageRoutes(EventBus bus) {
    this.bus = bus;
  }

  void list(RoutingContext ctx) {
    JsonObject query = paging(ctx)
        .put("name", ctx.queryParams().get("name"))
        .put("status", ctx.queryParams().get("status"))
        .put("upgradable", bool(ctx, "upgradable"))
        .put("sort", ctx.queryParams().get("sort"));
    ask(ctx, Addresses.PACKAGES_LIST, query);
  }

  void get(RoutingContext ctx) {
    ask(ctx, Addresses.PACKAGES_GET, new JsonObject()
        .put("name", ctx.pathParam("name"))
        .put("files", Boolean.TRUE.equals(bool(ctx, "files"))));
  }

  void install(RoutingContext ctx) {
    JsonObject body = body(ctx);
    plan(ctx, new JsonObject()
        .put("operation", "install")
        .put("packages", body.getJsonArray("packages"))
        .put("options", body.getJsonObject("options", new JsonObject()))
        .put("plan_id", body.getString("plan_id")));
  }

  void update(RoutingContext ctx) {
    JsonObject body = body(ctx);
    JsonObject ref = new JsonObject().put("name", ctx.pathParam("name"));
    if (body.getString("version") != null) {
      ref.put("version", body.getString("version"));
    }
    plan(ctx, new JsonObject()
        .put("operation", "update")
        .put("packages", new JsonArray().add(ref))
        .put("plan_id", body.getString("plan_id")));
  }

  void remove(RoutingContext ctx) {
    plan(ctx, new JsonObject()
        .put("operation", "remove")
        .put("packages", new JsonArray().add(new JsonObject().put("name", ctx.pathParam("name"))))
        .put("purge", Boolean.TRUE.equals(bool(ctx, "purge")))
        .put("plan_id", ctx.queryParams().get("plan_id")));
  }

  void applyPatches(RoutingContext ctx) {
    plan(ctx, body(ctx).copy().put("operation", "patch_apply"));
  }

  void patches(RoutingContext ctx) {
    ask(ctx, Addresses.PACKAGES_PATCHES, paging(ctx)
        .put("severity", ctx.queryParams().get("severity"))
        .put("security", bool(ctx, "security"))
        .put("package", ctx.queryParams().get("package"))
        .put("sort", ctx.queryParams().get("sort")));
  }

  void holds(RoutingContext ctx) {
    ask(ctx, Addresses.PACKAGES_HOLDS, paging(ctx));
  }

  private void plan(RoutingContext ctx, JsonObject change) {
    if (!Boolean.TRUE.equals(bool(ctx, "dry_run"))) {
      ctx.fail(new ApiFailure(ErrorCode.NOT_IMPLEMENTED, "only dry runs (?dry_run=true) are available: "
          + "changes run as jobs, and the job engine is not part of this build yet"));
      return;
    }
    ask(ctx, Addresses.PACKAGES_PLAN, change);
  }

  private void ask(RoutingContext ctx, String address, JsonObject message) {
    // Absent parameters are left out rather than sent as null, so the receiver's defaults apply.
    message.fieldNames().removeIf(key -> message.getValue(key) == null);
    bus.<JsonObject>request(address, message, ONE_MINUTE)
        .onSuccess(reply -> Envelope.ok(ctx, 200, reply.body()))
        .onFailure(ctx::fail);
  }

  private static JsonObject paging(RoutingContext ctx) {
    return new JsonObject()
        .put("limit", integer(ctx, "limit", 100))
        .put("offset", integer(ctx, "offset", 0))
        .put("order", ctx.queryParams().get("order") == null ? "asc" : ctx.queryParams().get("order"));
  }

  /** The request body, or {} for the empty body API-4 allows. */
  private static JsonObject body(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().length() == 0) {
      return new JsonObject();
    }
    JsonObject body = ctx.body().asJsonObject();
    return body == null ? new JsonObject() : body;
  }

  /** Already validated as an integer by the OpenAPI layer. */
  private static int integer(RoutingContext ctx, String name, int fallback) {
    String value = ctx.queryParams().get(name);
    return value == null ? fallback : Integer.parseInt(value);
  }

  private static Boolean bool(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    return value == null ? null : Boolean.valueOf(value);
  }
}
