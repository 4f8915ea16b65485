package io.linuxpatch.http;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.contract.auth.ClientIdentity;
import io.linuxpatch.contract.jobs.JobOperation;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authorization.PermissionBasedAuthorization;
import io.vertx.ext.web.RoutingContext;

/**
 * Packages, patches and holds (endpoints 2 to 8): reads and dry-run plans answered by PackageVerticle over
 * the event bus. Parameters reach here already validated against the OpenAPI document; the backend's own
 * name rules (SEC-9, e.g. a trailing {@code +}) are checked by PackageVerticle, which knows the package
 * database. A change that is not a dry run is planned first — so that a bad name, an unknown package or a
 * stale {@code plan_id} is a 4xx before anything is queued — and then handed to the job engine (202).
 */
final class PackageRoutes {

  /** apt's simulation takes tens of milliseconds; a cold cache on a big host can take seconds. */
  private static final DeliveryOptions ONE_MINUTE = new DeliveryOptions().setSendTimeout(60_000);

  private final EventBus bus;
  private final JobSubmission submission;

  PackageRoutes(EventBus bus, JobSubmission submission) {
    this.bus = bus;
    this.submission = submission;
  }

  void list(RoutingContext ctx) {
    JsonObject query = QueryParams.paging(ctx)
        .put("name", ctx.queryParams().get("name"))
        .put("status", ctx.queryParams().get("status"))
        .put("upgradable", QueryParams.bool(ctx, "upgradable"))
        .put("sort", ctx.queryParams().get("sort"));
    ask(ctx, Addresses.PACKAGES_LIST, query);
  }

  void get(RoutingContext ctx) {
    ask(ctx, Addresses.PACKAGES_GET, new JsonObject()
        .put("name", ctx.pathParam("name"))
        .put("files", Boolean.TRUE.equals(QueryParams.bool(ctx, "files"))));
  }

  void install(RoutingContext ctx) {
    JsonObject body = QueryParams.body(ctx);
    plan(ctx, new JsonObject()
        .put("operation", "install")
        .put("packages", body.getJsonArray("packages"))
        .put("options", body.getJsonObject("options", new JsonObject()))
        .put("plan_id", body.getString("plan_id")));
  }

  void update(RoutingContext ctx) {
    JsonObject body = QueryParams.body(ctx);
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
        .put("purge", Boolean.TRUE.equals(QueryParams.bool(ctx, "purge")))
        .put("plan_id", ctx.queryParams().get("plan_id")));
  }

  void applyPatches(RoutingContext ctx) {
    JsonObject body = QueryParams.body(ctx).copy();
    body.remove("force");
    if (body.getBoolean("allow_reboot", false)
        && !PermissionBasedAuthorization.create("admin").match(ctx.user())) {
      // allow_reboot can end in a reboot job, which endpoint 10 reserves for admin (SEC-6): the same rule here.
      ctx.fail(new ApiFailure(ErrorCode.AUTHZ_FORBIDDEN,
          "allow_reboot needs the admin permission, like POST /api/v1/system/reboot",
          new JsonObject().put("field", "allow_reboot")));
      return;
    }
    plan(ctx, body.put("operation", "patch_apply"));
  }

  /** Endpoint 16. */
  void refreshCache(RoutingContext ctx) {
    submission.submit(ctx, JobOperation.CACHE_REFRESH, new JsonObject(), false);
  }

  /** JOB-1's repair: {@code dpkg --configure -a} and {@code apt-get -f install}. */
  void repair(RoutingContext ctx) {
    submission.submit(ctx, JobOperation.REPAIR, new JsonObject(), false);
  }

  /** {@code PUT|DELETE /api/v1/holds/{name}}: apt-mark hold or unhold, answered at once. */
  void hold(RoutingContext ctx, boolean hold) {
    // A hold changes the package database like a job does (AUD-4): its record is on disk before apt-mark runs,
    // and with the audit log unwritable it is refused.
    ClientIdentity identity = ClientAccess.identityOf(ctx);
    JsonObject record = new JsonObject()
        .put("event", hold ? "package_hold" : "package_unhold")
        .put("name", ctx.pathParam("name"))
        .put("request_id", RequestIds.of(ctx))
        .put("client", identity == null ? null : identity.toJson())
        .put("durable", true);
    bus.request(Addresses.AUDIT_RECORD, record)
        .onSuccess(written -> ask(ctx, Addresses.PACKAGES_HOLD,
            new JsonObject().put("name", ctx.pathParam("name")).put("hold", hold)))
        .onFailure(e -> ctx.fail(new ApiFailure(ErrorCode.AUDIT_UNAVAILABLE,
            "the hold was not changed because its audit record cannot be written: "
                + ServiceFailure.messageOf(e))));
  }

  void patches(RoutingContext ctx) {
    ask(ctx, Addresses.PACKAGES_PATCHES, QueryParams.paging(ctx)
        .put("severity", ctx.queryParams().get("severity"))
        .put("security", QueryParams.bool(ctx, "security"))
        .put("package", ctx.queryParams().get("package"))
        .put("sort", ctx.queryParams().get("sort")));
  }

  void holds(RoutingContext ctx) {
    ask(ctx, Addresses.PACKAGES_HOLDS, QueryParams.paging(ctx));
  }

  private void plan(RoutingContext ctx, JsonObject change) {
    change.fieldNames().removeIf(key -> change.getValue(key) == null);
    if (Boolean.TRUE.equals(QueryParams.bool(ctx, "dry_run"))) {
      ask(ctx, Addresses.PACKAGES_PLAN, change);
      return;
    }
    boolean force = QueryParams.body(ctx).getBoolean("force", Boolean.TRUE.equals(QueryParams.bool(ctx, "force")));
    JobOperation operation = JobOperation.fromWire(change.getString("operation")).orElseThrow();
    submission.unlessRepeat(ctx, () -> bus.<JsonObject>request(Addresses.PACKAGES_PLAN, change, ONE_MINUTE)
        .onSuccess(planned -> {
          JsonObject params = change.copy();
          params.remove("operation");
          submission.submit(ctx, operation, params, force);
        })
        .onFailure(ctx::fail));
  }

  private void ask(RoutingContext ctx, String address, JsonObject message) {
    BusAnswer.answer(ctx, bus, address, message, ONE_MINUTE);
  }
}
