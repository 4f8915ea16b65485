package io.linuxpatch.system;

import io.linuxpatch.contract.ErrorCode;

/** Why a service query has no answer, with the error code the API reports for it. */
final class ServiceQueryException extends RuntimeException {

  private final ErrorCode code;

  ServiceQueryException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  ErrorCode code() {
    return code;
  }
}
