package io.linuxpatch.http;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The shape of every synchronous endpoint: ask the owning verticle on its address and answer its reply in a
 * 200 envelope, or its refusal as the error it carries (FailureAnswers turns ServiceFailure codes into statuses).
 */
final class BusAnswer {

  private BusAnswer() {}

  /**
   * Absent parameters are left out of {@code message} rather than sent as null, so the receiver's defaults
   * apply. The reply may be a JsonObject or pre-encoded JSON ({@code EncodedJson}); the envelope takes both.
   */
  static void answer(RoutingContext ctx, EventBus bus, String address, JsonObject message, DeliveryOptions options) {
    if (message != null) {
      message.fieldNames().removeIf(key -> message.getValue(key) == null);
    }
    bus.<Object>request(address, message, options)
        .onSuccess(reply -> Envelope.ok(ctx, 200, reply.body()))
        .onFailure(ctx::fail);
  }
}
