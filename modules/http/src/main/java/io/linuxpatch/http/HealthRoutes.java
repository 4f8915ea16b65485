package io.linuxpatch.http;

import io.linuxpatch.contract.EncodedJson;
import io.linuxpatch.contract.health.HealthCheck;
import io.linuxpatch.contract.health.HealthStatus;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code GET /health} and {@code /api/v1/health} (endpoint 1): answered from the checks their owners
 * published on the event bus, so a probe costs no round trip. 200 when healthy or degraded, 503 when
 * unhealthy.
 */
final class HealthRoutes {

  private final Map<String, HealthCheck> checks = new TreeMap<>();
  private final String version;
  private final Instant started;
  private final Instant hostBoot;
  private EncodedJson encoded;
  private long encodedUptime;
  private Long encodedHostUptime;
  private HealthStatus overall = HealthStatus.HEALTHY;

  HealthRoutes(String version, Instant started, Instant hostBoot) {
    this.version = version;
    this.started = started;
    this.hostBoot = hostBoot;
  }

  /** Keeps the latest check of each name (called on this verticle's event loop only). */
  void update(HealthCheck check) {
    checks.put(check.name(), check);
    encoded = null;
  }

  /**
   * The answer changes when a check does or a second passes (the uptimes): it is encoded then, not for
   * every probe (issue 7: a load balancer or monitoring probe costs the envelope only).
   */
  void health(RoutingContext ctx) {
    EncodedJson answer = current();
    Envelope.ok(ctx, status(), answer);
  }

  /** The same answer for a probe answered without the router ({@link ProbeShortcut}). */
  void health(HttpServerRequest request, String requestId) {
    EncodedJson answer = current();
    Envelope.ok(request.response(), requestId, status(), answer);
  }

  private int status() {
    return overall == HealthStatus.UNHEALTHY ? 503 : 200;
  }

  private EncodedJson current() {
    long now = System.currentTimeMillis();
    long uptime = (now - started.toEpochMilli()) / 1000;
    Long hostUptime = hostBoot == null ? null : (now - hostBoot.toEpochMilli()) / 1000;
    if (encoded == null || encodedUptime != uptime || !Objects.equals(encodedHostUptime, hostUptime)) {
      HealthStatus worst = HealthStatus.HEALTHY;
      JsonObject byName = new JsonObject();
      for (HealthCheck check : checks.values()) {
        worst = worst.worst(check.status());
        byName.put(check.name(), check.toJson());
      }
      encoded = EncodedJson.of(new JsonObject()
          .put("status", worst.json())
          .put("version", version)
          .put("uptime_seconds", uptime)
          .put("host_uptime_seconds", hostUptime)
          .put("checks", byName));
      encodedUptime = uptime;
      encodedHostUptime = hostUptime;
      overall = worst;
    }
    return encoded;
  }
}
