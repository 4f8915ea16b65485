package io.linuxpatch.http;

import io.linuxpatch.contract.health.HealthCheck;
import io.linuxpatch.contract.health.HealthStatus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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

  HealthRoutes(String version, Instant started, Instant hostBoot) {
    this.version = version;
    this.started = started;
    this.hostBoot = hostBoot;
  }

  /** Keeps the latest check of each name (called on this verticle's event loop only). */
  void update(HealthCheck check) {
    checks.put(check.name(), check);
  }

  void health(RoutingContext ctx) {
    HealthStatus overall = HealthStatus.HEALTHY;
    JsonObject byName = new JsonObject();
    for (HealthCheck check : checks.values()) {
      overall = overall.worst(check.status());
      byName.put(check.name(), check.toJson());
    }
    Instant now = Instant.now();
    JsonObject data = new JsonObject()
        .put("status", overall.json())
        .put("version", version)
        .put("uptime_seconds", Duration.between(started, now).toSeconds())
        .put("host_uptime_seconds", hostBoot == null ? null : Duration.between(hostBoot, now).toSeconds())
        .put("checks", byName);
    Envelope.ok(ctx, overall == HealthStatus.UNHEALTHY ? 503 : 200, data);
  }
}
