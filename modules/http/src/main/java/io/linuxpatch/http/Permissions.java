package io.linuxpatch.http;

import io.vertx.core.Handler;
import io.vertx.ext.auth.authorization.PermissionBasedAuthorization;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthorizationHandler;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.Map;

/**
 * SEC-6: finds the operation a request is for and lets vertx-web's {@link AuthorizationHandler} check the
 * permission the OpenAPI document names for it ({@code x-lpa-permission}), before the request is
 * validated or its body read, so a forbidden caller learns nothing from validation messages. A refusal is
 * answered by {@link FailureAnswers} with the words of {@link AccessRefusal}.
 */
final class Permissions implements Handler<RoutingContext> {

  private final OpenAPIContract contract;
  private final Map<String, AuthorizationHandler> byPermission = Map.of(
      "read", AuthorizationHandler.create(PermissionBasedAuthorization.create("read")),
      "operate", AuthorizationHandler.create(PermissionBasedAuthorization.create("operate")),
      "admin", AuthorizationHandler.create(PermissionBasedAuthorization.create("admin")));

  Permissions(OpenAPIContract contract) {
    this.contract = contract;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Operation operation = contract.findOperation(ctx.request().path(), ctx.request().method());
    if (operation == null) {
      // Unknown path or method: the router answers 404/405 and no permission is involved.
      ctx.next();
      return;
    }
    Object permission = operation.getExtensions().get("x-lpa-permission");
    String name = permission instanceof String s && byPermission.containsKey(s) ? s : "admin";
    AccessRefusal.needs(ctx, name);
    if (JobEventsRelay.isUpgrade(ctx.request())) {
      // AuthorizationHandler pauses and resumes the request, which lets Vert.x read the end of an upgrade request
      // that JobEventsRelay.holdUpgrade keeps unread for the upgrade; the same check, without touching the request.
      if (PermissionBasedAuthorization.create(name).match(ctx.user())) {
        ctx.next();
      } else {
        ctx.fail(403);
      }
      return;
    }
    byPermission.get(name).handle(ctx);
  }
}
