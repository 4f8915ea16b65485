package io.linuxpatch.http;

import io.linuxpatch.contract.Addresses;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/v1/system/...} (endpoints 9 and 17): answered by SystemVerticle over the event bus. */
final class SystemRoutes {

  private static final DeliveryOptions TEN_SECONDS = new DeliveryOptions().setSendTimeout(10_000);

  private final EventBus bus;

  SystemRoutes(EventBus bus) {
    this.bus = bus;
  }

  void info(RoutingContext ctx) {
    bus.<JsonObject>request(Addresses.SYSTEM_INFO, null, TEN_SECONDS)
        .onSuccess(reply -> Envelope.ok(ctx, 200, reply.body()))
        .onFailure(ctx::fail);
  }

  void service(RoutingContext ctx) {
    JsonObject request = new JsonObject().put("name", ctx.pathParam("name"));
    bus.<JsonObject>request(Addresses.SYSTEM_SERVICE, request, TEN_SECONDS)
        .onSuccess(reply -> Envelope.ok(ctx, 200, reply.body()))
        .onFailure(ctx::fail);
  }
}
