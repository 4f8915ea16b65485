package io.linuxpatch.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authorization.PermissionBasedAuthorization;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.AuthorizationHandler;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Hook 8: the request's user, as vertx-web's authorization handler reads it. */
@DisplayName("RequestUsers gives a request the user vertx-web's AuthorizationHandler checks")
class RequestUsersTest {

  @Test
  @DisplayName("a user with the permission passes the AuthorizationHandler, one without is refused 403")
  void authorizationSeesTheUser() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Router router = Router.router(vertx);
      router.route().handler(ctx -> {
        User user = User.create(new JsonObject().put("sub", ctx.request().getHeader("x-user")));
        if ("alice".equals(ctx.request().getHeader("x-user"))) {
          user.authorizations().put("test", Set.of(PermissionBasedAuthorization.create("read")));
        }
        RequestUsers.set(ctx, user);
        ctx.next();
      });
      router.route().handler(AuthorizationHandler.create(PermissionBasedAuthorization.create("read")));
      router.route().handler(ctx -> ctx.response().end(ctx.user().subject()));
      int port = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
          .requestHandler(router).listen().await(10, TimeUnit.SECONDS).actualPort();
      HttpClient client = vertx.createHttpClient();

      assertThat(status(client, port, "alice")).isEqualTo("200 alice");
      assertThat(status(client, port, "mallory")).startsWith("403");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static String status(HttpClient client, int port, String user) throws Exception {
    return client.request(HttpMethod.GET, port, "127.0.0.1", "/")
        .compose(request -> request.putHeader("x-user", user).send()
            .compose(response -> response.body().map(body -> response.statusCode() + " " + body)))
        .await(10, TimeUnit.SECONDS);
  }
}
