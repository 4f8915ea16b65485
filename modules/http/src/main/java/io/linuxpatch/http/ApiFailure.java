package io.linuxpatch.http;

import io.linuxpatch.contract.ErrorCode;
import io.vertx.core.json.JsonObject;

/**
 * A refusal decided by a handler, carried through {@code ctx.fail} to the failure handler that writes the
 * envelope. No stack trace: it is an answer, not a fault.
 */
final class ApiFailure extends RuntimeException {

  private final ErrorCode code;
  private final JsonObject details;

  ApiFailure(ErrorCode code, String message, JsonObject details) {
    super(message, null, false, false);
    this.code = code;
    this.details = details == null ? new JsonObject() : details;
  }

  ApiFailure(ErrorCode code, String message) {
    this(code, message, null);
  }

  ErrorCode code() {
    return code;
  }

  JsonObject details() {
    return details;
  }
}
