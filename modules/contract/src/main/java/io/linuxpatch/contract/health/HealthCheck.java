package io.linuxpatch.contract.health;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One named health check as published by its owner on {@code lpa.health.check} (endpoint 1 {@code checks}).
 *
 * @param name     check name as in SPEC endpoint 1: config, certificates, crl, package_manager, job_queue,
 *                 disk, audit_log, cluster
 * @param status   healthy, degraded or unhealthy
 * @param message  one sentence an operator can act on
 * @param details  extra facts (days left, free bytes...); never null
 * @param checkedAt when the owner last looked
 */
public record HealthCheck(String name, HealthStatus status, String message, JsonObject details, Instant checkedAt) {

  public HealthCheck {
    details = details == null ? new JsonObject() : details.copy();
  }

  public static HealthCheck healthy(String name, String message, JsonObject details) {
    return new HealthCheck(name, HealthStatus.HEALTHY, message, details, Instant.now());
  }

  public static HealthCheck degraded(String name, String message, JsonObject details) {
    return new HealthCheck(name, HealthStatus.DEGRADED, message, details, Instant.now());
  }

  public static HealthCheck unhealthy(String name, String message, JsonObject details) {
    return new HealthCheck(name, HealthStatus.UNHEALTHY, message, details, Instant.now());
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("status", status.json())
        .put("message", message)
        .put("details", details.copy())
        .put("checked_at", checkedAt.toString());
  }
}
