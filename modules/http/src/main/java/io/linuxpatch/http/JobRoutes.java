package io.linuxpatch.http;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.jobs.JobOperation;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/v1/jobs...} (endpoints 11 to 14): answered by the JobVerticle over the event bus. */
final class JobRoutes {

  private static final DeliveryOptions TEN_SECONDS = new DeliveryOptions().setSendTimeout(10_000);

  private final EventBus bus;
  private final JobSubmission submission;

  JobRoutes(EventBus bus, JobSubmission submission) {
    this.bus = bus;
    this.submission = submission;
  }

  void list(RoutingContext ctx) {
    JsonObject query = QueryParams.paging(ctx)
        .put("status", ctx.queryParams().get("status"))
        .put("operation", ctx.queryParams().get("operation"))
        .put("since", ctx.queryParams().get("since"))
        .put("sort", ctx.queryParams().get("sort"));
    ask(ctx, Addresses.JOBS_LIST, query);
  }

  void get(RoutingContext ctx) {
    ask(ctx, Addresses.JOBS_GET, new JsonObject().put("job_id", ctx.pathParam("id")));
  }

  void delete(RoutingContext ctx) {
    ask(ctx, Addresses.JOBS_DELETE, new JsonObject().put("job_id", ctx.pathParam("id")));
  }

  void rollback(RoutingContext ctx) {
    submission.submit(ctx, JobOperation.ROLLBACK, new JsonObject(), false, ctx.pathParam("id"));
  }

  private void ask(RoutingContext ctx, String address, JsonObject message) {
    BusAnswer.answer(ctx, bus, address, message, TEN_SECONDS);
  }
}
