package io.linuxpatch.http;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.auth.ClientIdentity;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Charges each request to its client's budget (SEC-8): GETs and dry runs are reads, every other change is
 * a mutation; the monitoring probes are exempt. A refusal is 429 RATE_LIMIT_EXCEEDED with {@code Retry-After}.
 */
final class RateLimits implements Handler<RoutingContext> {

  private final RateLimiter limiter;

  RateLimits(RateLimiter limiter) {
    this.limiter = limiter;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ClientIdentity identity = ClientAccess.identityOf(ctx);
    if (identity == null || MonitoringProbes.contains(ctx.request().path())) {
      ctx.next();
      return;
    }
    HttpMethod method = ctx.request().method();
    boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD
        || "true".equals(ctx.request().getParam("dry_run"));
    RateLimiter.Decision decision = limiter.take(identity.fingerprint(),
        read ? RateLimiter.Kind.READ : RateLimiter.Kind.MUTATION);
    if (decision.allowed()) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("Retry-After", String.valueOf(decision.retryAfterSeconds()));
    ctx.fail(new ApiFailure(ErrorCode.RATE_LIMIT_EXCEEDED, "too many " + (read ? "reads" : "changes")
        + " from this client; retry after " + decision.retryAfterSeconds() + " s",
        new JsonObject().put("retry_after_seconds", decision.retryAfterSeconds())
            .put("budget", read ? "reads" : "mutations")));
  }
}
