package io.linuxpatch.fleet;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code fleet status}: what an operator wants to know of a host at a glance, read from five GETs made
 * side by side (health, system info, security patches, upgradable packages, running jobs) and from the certificate
 * the agent served.
 */
public final class HostStatus {

  /** Severities in the order the table shows them (SPEC endpoint 7). */
  static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low", "unknown");

  private HostStatus() {
  }

  /** The row of {@code host}; a host that does not answer gives a row that says so, never a failed future. */
  public static Future<JsonObject> probe(AgentClient client, Host host) {
    Future<Answer> health = client.get(host, "/api/v1/health");
    Future<Answer> info = client.get(host, "/api/v1/system/info");
    Future<Answer> patches = client.get(host, "/api/v1/patches?security=true&limit=1000");
    Future<Answer> updates = client.get(host, "/api/v1/packages?upgradable=true&limit=1");
    Future<Answer> running = client.get(host, "/api/v1/jobs?status=running&limit=1");
    return Future.join(health, info, patches, updates, running).transform(all -> {
      JsonObject row = new JsonObject().put("host", host.url());
      if (health.failed()) {
        return Future.succeededFuture(row.put("reachable", false).put("error_code", "UNREACHABLE")
            .put("message", String.valueOf(health.cause().getMessage())));
      }
      row.put("reachable", true);
      JsonObject checks = health.result().data().getJsonObject("checks", new JsonObject());
      row.put("health", health.result().data().getString("status"));
      row.put("backend", checks.getJsonObject("package_manager", new JsonObject())
          .getJsonObject("details", new JsonObject()).getString("backend"));
      if (answered(info, row)) {
        JsonObject system = info.result().data();
        JsonObject os = system.getJsonObject("os", new JsonObject());
        row.put("hostname", system.getString("hostname"));
        row.put("os", (os.getString("name", "?") + " " + os.getString("version_id", "")).strip());
        JsonObject reboot = system.getJsonObject("reboot_required", new JsonObject());
        row.put("reboot_required", reboot.getBoolean("required", false));
      }
      if (answered(updates, row)) {
        row.put("updates", updates.result().data().getInteger("total"));
      }
      if (answered(patches, row)) {
        row.put("security", bySeverity(patches.result().data().getJsonArray("patches", new JsonArray())));
      }
      if (answered(running, row)) {
        row.put("running_jobs", running.result().data().getInteger("total"));
      }
      Instant notAfter = health.result().certificateNotAfter();
      if (notAfter != null) {
        row.put("certificate_expires", notAfter.toString());
        row.put("certificate_days_left", Duration.between(Instant.now(), notAfter).toDays());
      }
      return Future.succeededFuture(row);
    });
  }

  /** Whether the request answered 2xx; otherwise the row names the agent's error. */
  private static boolean answered(Future<Answer> request, JsonObject row) {
    if (request.succeeded() && request.result().ok()) {
      return true;
    }
    if (!row.containsKey("error_code")) {
      row.put("error_code", request.succeeded() ? request.result().errorCode() : "UNREACHABLE");
      row.put("message", request.succeeded() ? request.result().errorMessage()
          : String.valueOf(request.cause().getMessage()));
    }
    return false;
  }

  private static JsonObject bySeverity(JsonArray patches) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    SEVERITIES.forEach(s -> counts.put(s, 0));
    for (Object item : patches) {
      String severity = ((JsonObject) item).getString("severity", "unknown");
      counts.merge(counts.containsKey(severity) ? severity : "unknown", 1, Integer::sum);
    }
    return new JsonObject(new LinkedHashMap<>(counts));
  }

  /** The security column: {@code 1 high, 2 unknown}, or {@code 0}. */
  static String securityText(JsonObject security) {
    if (security == null) {
      return "-";
    }
    StringBuilder text = new StringBuilder();
    for (String severity : SEVERITIES) {
      int n = security.getInteger(severity, 0);
      if (n > 0) {
        text.append(text.length() == 0 ? "" : ", ").append(n).append(' ').append(severity);
      }
    }
    return text.length() == 0 ? "0" : text.toString();
  }
}
