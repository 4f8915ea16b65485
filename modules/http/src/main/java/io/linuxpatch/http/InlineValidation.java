package io.linuxpatch.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.VertxWrapper;
import java.util.concurrent.Callable;

/**
 * The Vert.x that the OpenAPI router is built with: the same instance, except that "blocking" code runs
 * at once on the calling event loop. vertx-openapi's {@code RequestValidatorImpl} validates every request
 * through {@code vertx.executeBlocking} — ordered, so one worker hop there and one back per API request,
 * and the requests of an event loop validated one at a time (issue 7 profile: a fifth of a listing's cost).
 * What it validates here is small and bounded before validation starts: query and path parameters, and a
 * body of at most 1 MiB ({@link ServerSecurity#MAX_BODY_BYTES}) from a client already known to hold the
 * operation's permission (Permissions and RateLimits run first). Validating that is microseconds for a
 * parameter and a few milliseconds at worst for a body, less than the hop itself.
 *
 * <p>Nothing else is run inline: only the router builder (and so its validator) gets this instance.
 */
final class InlineValidation extends VertxWrapper {

  private InlineValidation(VertxInternal delegate) {
    super(delegate);
  }

  static Vertx of(Vertx vertx) {
    return new InlineValidation((VertxInternal) vertx);
  }

  @Override
  public <T> Future<T> executeBlocking(Callable<T> validation, boolean ordered) {
    try {
      return Future.succeededFuture(validation.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public <T> Future<T> executeBlocking(Callable<T> validation) {
    return executeBlocking(validation, true);
  }
}
