package io.linuxpatch.packages;

import io.linuxpatch.contract.ErrorCode;
import io.vertx.core.json.JsonObject;

/**
 * A backend's "no" to a request (unknown package, invalid name, apt refusing a plan): an answer with an
 * error code, not a fault, so it carries no stack trace.
 */
public final class BackendRefusal extends RuntimeException {

  private final ErrorCode code;
  private final JsonObject details;

  public BackendRefusal(ErrorCode code, String message, JsonObject details) {
    super(message, null, false, false);
    this.code = code;
    this.details = details == null ? new JsonObject() : details;
  }

  public ErrorCode code() {
    return code;
  }

  public JsonObject details() {
    return details;
  }
}
