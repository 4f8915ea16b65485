package io.linuxpatch.fleet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One host's dry-run plan of a patch run (endpoint 8 with {@code dry_run=true}), or why there is none.
 *
 * @param host      the agent
 * @param plan      the agent's plan ({@code plan_id}, {@code upgrade}, {@code install}, …), null without one
 * @param errorCode the agent's error code, or {@code UNREACHABLE}, when there is no plan
 * @param message   what went wrong
 */
public record HostPlan(Host host, JsonObject plan, String errorCode, String message) {

  /** The transaction's lists of a plan, in the order the review shows them. */
  static final String[] ACTIONS = {"upgrade", "install", "downgrade", "reinstall", "remove"};

  public String planId() {
    return plan == null ? null : plan.getString("plan_id");
  }

  /** Whether the plan changes nothing. */
  public boolean empty() {
    for (String action : ACTIONS) {
      JsonArray list = plan.getJsonArray(action);
      if (list != null && !list.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host.url()).put("plan_id", planId()).put("plan", plan)
        .put("error_code", errorCode).put("message", message);
  }

  public static HostPlan fromJson(JsonObject json) {
    return new HostPlan(new Host(json.getString("host")), json.getJsonObject("plan"), json.getString("error_code"),
        json.getString("message"));
  }
}
