package io.linuxpatch.http;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.jobs.JobOperation;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/v1/system/...} (endpoints 9, 10 and 17): answered by SystemVerticle over the event bus. */
final class SystemRoutes {

  private static final DeliveryOptions TEN_SECONDS = new DeliveryOptions().setSendTimeout(10_000);

  /** Endpoint 10's default delay: a minute for logged-in people to see shutdown's broadcast. */
  static final int DEFAULT_REBOOT_DELAY_SECONDS = 60;

  private final EventBus bus;
  private final JobSubmission submission;

  SystemRoutes(EventBus bus, JobSubmission submission) {
    this.bus = bus;
    this.submission = submission;
  }

  /** Endpoint 10: a reboot job; REBOOT_BLOCKED while a package job runs or waits, unless forced. */
  void reboot(RoutingContext ctx) {
    JsonObject body = QueryParams.body(ctx);
    JsonObject params = new JsonObject()
        .put("delay_seconds", body.getInteger("delay_seconds", DEFAULT_REBOOT_DELAY_SECONDS))
        .put("reason", body.getString("reason"));
    submission.submit(ctx, JobOperation.REBOOT, params, body.getBoolean("force", false));
  }

  void info(RoutingContext ctx) {
    BusAnswer.answer(ctx, bus, Addresses.SYSTEM_INFO, null, TEN_SECONDS);
  }

  void service(RoutingContext ctx) {
    JsonObject request = new JsonObject().put("name", ctx.pathParam("name"));
    BusAnswer.answer(ctx, bus, Addresses.SYSTEM_SERVICE, request, TEN_SECONDS);
  }
}
