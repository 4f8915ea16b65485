package io.linuxpatch.fleet;

import io.vertx.core.json.JsonObject;

/**
 * The job a rollout asks one host for: a POST of {@code body} to {@code path} with an {@code Idempotency-Key}
 * (API-5), so that running the same rollout again returns the jobs of the first run instead of starting others.
 * Without a path nothing is sent: the host's result is {@code skipped}, and {@code note} says why.
 */
public record Submission(Host host, String path, JsonObject body, String idempotencyKey, Outcome skipped,
    String note) {

  public static Submission of(Host host, String path, JsonObject body, String idempotencyKey) {
    return new Submission(host, path, body, idempotencyKey, null, null);
  }

  /** Nothing is sent to {@code host}: its result is {@code outcome}, because of {@code note}. */
  public static Submission skip(Host host, Outcome outcome, String note) {
    return new Submission(host, null, null, null, outcome, note);
  }
}
