package io.linuxpatch.http;

import io.linuxpatch.contract.auth.AccessPolicy;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Supplier;

/**
 * Answers a plain health probe ({@code GET /health} or {@code /api/v1/health}, endpoint 1) without the
 * router: a load balancer or monitoring system polls it every few seconds on every host, and the router's
 * chain (routing context, OpenAPI validation, body handling — built for requests that change things) was
 * most of its cost (issue 7 profile). Only the checks that apply to a probe are made here, the same ones
 * the chain makes: the allow-list again (SEC-4), the client certificate's identity and the {@code read}
 * permission of its role (SEC-6), the request id (API-3). Probes are neither audited nor rate-limited
 * (AUD-1, SEC-8).
 *
 * <p>Anything that is not plainly such a probe — another method, a query string or a non-canonical path, a
 * body, a repeated {@code Host}, an upgrade, a caller the allow-list or its role refuses — goes to the router,
 * which answers it (or drops it, and audits that) exactly as before.
 */
final class ProbeShortcut {

  private final Supplier<AccessPolicy> policy;
  private final ClientAccess access;
  private final HealthRoutes health;

  ProbeShortcut(Supplier<AccessPolicy> policy, ClientAccess access, HealthRoutes health) {
    this.policy = policy;
    this.access = access;
    this.health = health;
  }

  /** Answers {@code request} and returns true when it is a plain probe of an admitted reader; false otherwise. */
  boolean answered(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET || !isHealthUri(request.uri())) {
      return false;
    }
    MultiMap headers = request.headers();
    if (headers.contains("Content-Length") || headers.contains("Transfer-Encoding")
        || headers.getAll("Host").size() > 1 || JobEventsRelay.isUpgrade(request)) {
      return false;
    }
    if (!access.peerOf(request.connection()).mayRead(policy.get())) {
      return false;
    }
    // The route label of Vert.x' HTTP server meters, as the router would have set it (MET-1).
    request.routed(request.path());
    health.health(request, RequestIds.accepted(headers.get(RequestIds.HEADER)));
    return true;
  }

  /** The exact URIs, so that a query string, dot segments or escapes take the router's way. */
  private static boolean isHealthUri(String uri) {
    return "/health".equals(uri) || "/api/v1/health".equals(uri);
  }
}
