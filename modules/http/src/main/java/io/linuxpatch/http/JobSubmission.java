package io.linuxpatch.http;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.auth.ClientIdentity;
import io.linuxpatch.contract.jobs.JobOperation;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Hands a mutation to the JobVerticle and answers 202 with the job and its {@code Location} (JOB-1). The
 * JobVerticle answers only once the job's audit record and the job itself are on disk, so a 202 always
 * means a durable job (AUD-4, JOB-7). The request id and the caller's certificate identity go into the job.
 */
final class JobSubmission {

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  /** Two fsyncs and a queue insert; generous for a slow disk. */
  private static final DeliveryOptions THIRTY_SECONDS = new DeliveryOptions().setSendTimeout(30_000);

  private final EventBus bus;

  JobSubmission(EventBus bus) {
    this.bus = bus;
  }

  void submit(RoutingContext ctx, JobOperation operation, JsonObject params, boolean force) {
    submit(ctx, operation, params, force, null);
  }

  void submit(RoutingContext ctx, JobOperation operation, JsonObject params, boolean force, String rollbackOf) {
    JsonObject message = caller(ctx)
        .put("operation", operation.wire())
        .put("params", params)
        .put("request_id", RequestIds.of(ctx))
        .put("force", force);
    if (rollbackOf != null) {
      message.put("rollback_of", rollbackOf);
    }
    bus.<JsonObject>request(Addresses.JOBS_SUBMIT, message, THIRTY_SECONDS)
        .onSuccess(reply -> {
          JsonObject job = reply.body().getJsonObject("job");
          ctx.response().putHeader("Location", "/api/v1/jobs/" + job.getString("job_id"));
          Envelope.ok(ctx, 202, job);
        })
        .onFailure(ctx::fail);
  }

  /**
   * API-5 before the request is planned: with an Idempotency-Key already used by this client, answers the
   * first job (or 422 for a different request) and does not call {@code proceed}; otherwise calls it.
   */
  void unlessRepeat(RoutingContext ctx, Runnable proceed) {
    String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
    if (key == null) {
      proceed.run();
      return;
    }
    JsonObject lookup = caller(ctx)
        .put("operation", JobOperation.INSTALL.wire()) // any valid operation: nothing is created
        .put("lookup_only", true);
    bus.<JsonObject>request(Addresses.JOBS_SUBMIT, lookup, THIRTY_SECONDS)
        .onSuccess(reply -> {
          JsonObject job = reply.body().getJsonObject("job");
          if (job == null) {
            proceed.run();
            return;
          }
          ctx.response().putHeader("Location", "/api/v1/jobs/" + job.getString("job_id"));
          Envelope.ok(ctx, 202, job);
        })
        .onFailure(ctx::fail);
  }

  /** Who asks, and the request's Idempotency-Key with the hash of the request when it carries one. */
  private static JsonObject caller(RoutingContext ctx) {
    ClientIdentity identity = ClientAccess.identityOf(ctx);
    JsonObject message = new JsonObject().put("requested_by", identity == null ? new JsonObject() : identity.toJson());
    String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
    if (key != null) {
      message.put("idempotency_key", key).put("idempotency_hash", requestHash(ctx));
    }
    return message;
  }

  /** API-5's "same request": method, path, query and body bytes. */
  private static String requestHash(RoutingContext ctx) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((ctx.request().method().name() + ' ' + ctx.request().uri() + '\n').getBytes(StandardCharsets.UTF_8));
      if (ctx.body() != null && ctx.body().buffer() != null) {
        sha.update(ctx.body().buffer().getBytes());
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
