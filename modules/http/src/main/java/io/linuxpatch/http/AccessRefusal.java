package io.linuxpatch.http;

import io.linuxpatch.contract.auth.AccessGrant;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Why a caller may not make a call (SEC-6), for its 403 {@code AUTHZ_FORBIDDEN}: a message that names the
 * setting that would change the answer, the same facts as {@code details}, and a reason code for the
 * request's audit record — so a refused host certificate is on record as exactly that.
 *
 * @param reason  {@code host_certificate}, {@code read_only_default}, {@code no_rule} or {@code role}
 * @param message for the envelope's error message
 * @param details for the envelope's error details
 */
record AccessRefusal(String reason, String message, JsonObject details) {

  private static final String GRANT_KEY = "lpa.grant";
  private static final String NEEDED_KEY = "lpa.permission.needed";
  private static final String REASON_KEY = "lpa.refusal";

  /** Remembers what the policy granted the caller of {@code ctx} (ClientAccess). */
  static void granted(RoutingContext ctx, AccessGrant grant) {
    ctx.put(GRANT_KEY, grant);
  }

  /** Remembers the permission the operation of {@code ctx} needs (Permissions). */
  static void needs(RoutingContext ctx, String permission) {
    ctx.put(NEEDED_KEY, permission);
  }

  /** The refusal of {@code ctx}, remembered for its audit record. */
  static AccessRefusal of(RoutingContext ctx) {
    AccessGrant grant = ctx.get(GRANT_KEY);
    String needed = ctx.get(NEEDED_KEY);
    AccessRefusal refusal = of(grant, needed == null ? "admin" : needed);
    ctx.put(REASON_KEY, refusal.reason());
    return refusal;
  }

  /** The reason code of a refusal answered on {@code ctx}, or null when it was not refused for lack of permission. */
  static String reasonOf(RoutingContext ctx) {
    return ctx.get(REASON_KEY);
  }

  static AccessRefusal of(AccessGrant grant, String needed) {
    JsonObject details = new JsonObject().put("permission", needed)
        .put("role", grant == null || grant.role() == null ? null : grant.role().json());
    if (grant == null) {
      return new AccessRefusal("role", "this client's role does not permit this call", details.put("reason", "role"));
    }
    return switch (grant.ground()) {
      case HOST_CERTIFICATE -> new AccessRefusal("host_certificate", "this client certificate is a host certificate "
          + "(valid for TLS servers: serverAuth); host certificates get no API permission unless "
          + "authorization.allow_host_certificates is true",
          details.put("reason", "host_certificate").put("setting", "authorization.allow_host_certificates"));
      case DEFAULT_READ -> new AccessRefusal("read_only_default", "mutations are disabled: the configuration has no "
          + "authorization section, so clients may only read; grant this client " + needed + " under "
          + "authorization.clients", details.put("reason", "read_only_default").put("setting", "authorization.clients"));
      case NO_RULE -> new AccessRefusal("no_rule", "no rule under authorization.clients names this client certificate",
          details.put("reason", "no_rule").put("setting", "authorization.clients"));
      case CERTIFICATE_RULE, NAME_RULE -> new AccessRefusal("role", "this client's role ("
          + grant.role().json() + ") does not permit this call; it needs " + needed,
          details.put("reason", "role").put("setting", "authorization.clients"));
    };
  }
}
