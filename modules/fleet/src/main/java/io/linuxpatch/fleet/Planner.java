package io.linuxpatch.fleet;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** Asks every host for its dry-run plan of one patch run (endpoint 8, {@code dry_run=true}); hosts side by side. */
public final class Planner {

  private Planner() {
  }

  public static Future<List<HostPlan>> plan(AgentClient client, List<Host> hosts, JsonObject request, int parallel) {
    return Bounded.map(hosts, parallel, host -> client.post(host, "/api/v1/patches/apply?dry_run=true", request, Map.of())
        .map(answer -> answer.ok() ? new HostPlan(host, answer.data(), null, null)
            : new HostPlan(host, null, answer.errorCode(), answer.errorMessage()))
        .otherwise(e -> new HostPlan(host, null, "UNREACHABLE", String.valueOf(e.getMessage()))));
  }
}
