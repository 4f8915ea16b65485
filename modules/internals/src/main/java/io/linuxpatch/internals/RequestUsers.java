package io.linuxpatch.internals;

import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.UserContext;
import io.vertx.ext.web.impl.UserContextInternal;

/**
 * Hook 8, vertx-web's user context ({@code io.vertx.ext.web.impl.UserContextInternal}): gives a request the vertx-auth
 * user its client certificate maps to, for vertx-web's {@code AuthorizationHandler}. The public way, an
 * {@code AuthenticationHandler} such as {@code SimpleAuthenticationHandler}, pauses and resumes the request to
 * authenticate; before the body is read that changes what the agent answers (tried in issue 19): it lets Vert.x read
 * the end of a WebSocket upgrade request that is held unread for the upgrade, and a read-only client's malformed
 * chunked body is then refused 403 instead of 400 (HttpFramingTest). Setting the user has no such side effect.
 */
public final class RequestUsers {

  private static final String HOOK = "request user (vertx-web UserContextInternal)";

  private RequestUsers() {}

  /** Makes {@code user} the user of {@code ctx} ({@code ctx.user()} from here on). */
  public static void set(RoutingContext ctx, User user) {
    UserContext context = ctx.userContext();
    if (!(context instanceof UserContextInternal internal)) {
      throw new BrokenAssumption(HOOK, "a routing context's user context is a " + UserContextInternal.class.getName()
          + ", not a " + (context == null ? "null" : context.getClass().getName()));
    }
    internal.setUser(user);
  }
}
