package io.linuxpatch.fleet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The outcome of one host in a rollout, as printed and as kept in a run record.
 *
 * @param host      the agent
 * @param outcome   what happened
 * @param jobId     the job the agent ran, null when none was started
 * @param errorCode the agent's error code (API or JOB-3) when there is one
 * @param message   the agent's message, or why the host was skipped
 * @param changes   what the job changed (JOB-2 {@code changes}), empty when unknown
 */
public record HostResult(Host host, Outcome outcome, String jobId, String errorCode, String message,
    JsonArray changes) {

  public HostResult {
    changes = changes == null ? new JsonArray() : changes;
  }

  public static HostResult of(Host host, Outcome outcome, String message) {
    return new HostResult(host, outcome, null, null, message, null);
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host.url()).put("outcome", outcome.label()).put("job_id", jobId)
        .put("error_code", errorCode).put("message", message).put("changes", changes);
  }

  public static HostResult fromJson(JsonObject json) {
    return new HostResult(new Host(json.getString("host")), Outcome.ofLabel(json.getString("outcome")),
        json.getString("job_id"), json.getString("error_code"), json.getString("message"),
        json.getJsonArray("changes"));
  }
}
