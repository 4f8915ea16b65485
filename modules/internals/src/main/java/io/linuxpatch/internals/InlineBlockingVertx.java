package io.linuxpatch.internals;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.VertxWrapper;
import java.util.concurrent.Callable;

/**
 * Hook 7, Vert.x' own wrapper base ({@code io.vertx.core.internal.VertxWrapper}): the same Vert.x, except that
 * "blocking" code given to {@code executeBlocking} runs at once on the calling thread. For a library that hops to a
 * worker for work that is known to be short (vertx-openapi validates every request through an ordered
 * {@code executeBlocking}; see the http module's route table for why that is bounded), and for nothing else: only
 * the caller that is handed this instance is affected. {@link #of} refuses to wrap when Vert.x declares an
 * {@code executeBlocking} this class does not override (it would still hop, silently).
 */
public final class InlineBlockingVertx extends VertxWrapper {

  private static final String HOOK = "inline executeBlocking (VertxWrapper)";

  private InlineBlockingVertx(VertxInternal delegate) {
    super(delegate);
  }

  /** {@code vertx} with {@code executeBlocking} run inline. */
  public static Vertx of(Vertx vertx) {
    for (var method : Vertx.class.getMethods()) {
      if (method.getName().equals("executeBlocking")) {
        try {
          InlineBlockingVertx.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
        } catch (NoSuchMethodException e) {
          throw new BrokenAssumption(HOOK, "every Vertx.executeBlocking is overridden, but not " + method);
        }
      }
    }
    if (!(vertx instanceof VertxInternal internal)) {
      throw new BrokenAssumption(HOOK, "a Vertx instance is a " + VertxInternal.class.getName() + ", not a "
          + vertx.getClass().getName());
    }
    return new InlineBlockingVertx(internal);
  }

  @Override
  public <T> Future<T> executeBlocking(Callable<T> work, boolean ordered) {
    try {
      return Future.succeededFuture(work.call());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public <T> Future<T> executeBlocking(Callable<T> work) {
    return executeBlocking(work, true);
  }
}
