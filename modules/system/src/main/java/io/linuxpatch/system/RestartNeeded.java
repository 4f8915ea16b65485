package io.linuxpatch.system;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Endpoint 9's {@code restart_needed}: what an operator can restart instead of rebooting after an upgrade.
 *
 * @param services  the systemd services of all stale processes, sorted, once each
 * @param processes the stale processes by pid, at most {@link DeletedFileUsers#MAX_PROCESSES}
 */
public record RestartNeeded(List<String> services, List<StaleProcess> processes) {

  static final RestartNeeded NONE = new RestartNeeded(List.of(), List.of());

  public RestartNeeded {
    services = List.copyOf(services);
    processes = List.copyOf(processes);
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    processes.forEach(p -> list.add(p.toJson()));
    return new JsonObject().put("services", new JsonArray(services)).put("processes", list);
  }
}
