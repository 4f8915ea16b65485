package io.linuxpatch.fleet;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One answer of an agent: the HTTP status, the envelope (API-2) and when the certificate the agent served on that
 * connection expires.
 *
 * @param status              HTTP status
 * @param envelope            the JSON envelope; an empty object when the body was not JSON
 * @param certificateNotAfter the served certificate's notAfter, null when the connection did not show one
 */
public record Answer(int status, JsonObject envelope, Instant certificateNotAfter) {

  public boolean ok() {
    return status >= 200 && status < 300;
  }

  public JsonObject data() {
    JsonObject data = envelope.getJsonObject("data");
    return data == null ? new JsonObject() : data;
  }

  /** The agent's error code, {@code HTTP_<status>} when the body carried none. */
  public String errorCode() {
    JsonObject error = envelope.getJsonObject("error");
    return error != null && error.getString("code") != null ? error.getString("code") : "HTTP_" + status;
  }

  public String errorMessage() {
    JsonObject error = envelope.getJsonObject("error");
    return error != null && error.getString("message") != null ? error.getString("message") : "HTTP " + status;
  }
}
