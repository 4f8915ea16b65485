package io.linuxpatch.http;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.auth.ClientIdentity;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * AUD-1: one audit record per request once its answer is complete — who (certificate identity), from
 * where, what, the status, why a call was forbidden ({@code refusal}) and how long it took — sent to the
 * AuditVerticle. The monitoring probes are counted in metrics instead, so that a probe every few seconds
 * does not drown the log.
 */
final class RequestAudit implements Handler<RoutingContext> {

  private static final String STARTED = "lpa.audit.started";
  private static final String RECORDED = "lpa.audit.recorded";

  private final EventBus bus;

  RequestAudit(EventBus bus) {
    this.bus = bus;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!MonitoringProbes.contains(ctx.request().path())) {
      ctx.put(STARTED, System.nanoTime());
      ctx.addEndHandler(done -> record(bus, ctx, ctx.response().getStatusCode()));
    }
    ctx.next();
  }

  /**
   * The record of a request that became a WebSocket (JOB-9), written at the upgrade with status 101: its
   * response never ends through the router, so the end handler would not write it.
   */
  static void upgraded(RoutingContext ctx) {
    if (ctx.get(STARTED) != null) {
      record(ctx.vertx().eventBus(), ctx, 101);
    }
  }

  private static void record(EventBus bus, RoutingContext ctx, int status) {
    ClientIdentity identity = ClientAccess.identityOf(ctx);
    if (identity == null || ctx.get(RECORDED) != null) {
      // Refused before the caller was known (connection closed by the allow-list re-check): recorded there.
      // Or recorded already, at a WebSocket upgrade.
      return;
    }
    ctx.put(RECORDED, true);
    long started = ctx.get(STARTED);
    JsonObject record = new JsonObject()
        .put("event", "request")
        .put("request_id", RequestIds.of(ctx))
        .put("client", identity.toJson())
        .put("peer_ip", ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress())
        .put("method", ctx.request().method().name())
        .put("path", ctx.request().path())
        .put("status", status)
        .put("latency_ms", (System.nanoTime() - started) / 1_000_000.0);
    String refusal = AccessRefusal.reasonOf(ctx);
    if (refusal != null) {
      // A 403 for lack of permission says which kind (SEC-6): a refused host certificate is on record as such.
      record.put("refusal", refusal);
    }
    bus.send(Addresses.AUDIT_RECORD, record);
  }
}
