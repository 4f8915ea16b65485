package io.linuxpatch.system;

import io.vertx.core.json.JsonObject;

/**
 * The state of one service as endpoint 17 reports it, in systemd's vocabulary (OpenRC states are mapped).
 *
 * @param name        the unit's full id, e.g. {@code ssh.service}
 * @param description one line from the unit, may be null
 * @param loadState   loaded, not-found, masked, error...
 * @param activeState active, inactive, failed, activating, deactivating...
 * @param subState    running, exited, dead... (OpenRC: its own status word)
 * @param enabled     the unit file state (enabled, disabled, static, masked...), null when unknown
 * @param mainPid     the main process, null when there is none
 */
public record ServiceState(String name, String description, String loadState, String activeState, String subState,
    String enabled, Long mainPid) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("description", description)
        .put("load_state", loadState)
        .put("active_state", activeState)
        .put("sub_state", subState)
        .put("enabled", enabled)
        .put("main_pid", mainPid);
  }
}
