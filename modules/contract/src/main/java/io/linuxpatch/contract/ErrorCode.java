package io.linuxpatch.contract;

/**
 * Every error code the API answers with (API-2, JOB-3), with its HTTP status and whether a retry can help.
 */
public enum ErrorCode {
  INVALID_REQUEST(400, false),
  AUTHZ_FORBIDDEN(403, false),
  NOT_FOUND(404, false),
  PKG_NOT_FOUND(404, false),
  PKG_VERSION_NOT_FOUND(404, false),
  JOB_NOT_FOUND(404, false),
  SERVICE_NOT_FOUND(404, false),
  METHOD_NOT_ALLOWED(405, false),
  PLAN_STALE(409, false),
  DEPENDENCY_CONFLICT(409, false),
  REBOOT_BLOCKED(409, true),
  /** Rollback of a job that is not finished, changed nothing, or was already rolled back. */
  JOB_NOT_ROLLBACKABLE(409, false),
  /** API-5: an Idempotency-Key reused within 24 h for a different request. */
  IDEMPOTENCY_KEY_REUSED(422, false),
  PAYLOAD_TOO_LARGE(413, false),
  URI_TOO_LONG(414, false),
  UNSUPPORTED_MEDIA_TYPE(415, false),
  RATE_LIMIT_EXCEEDED(429, true),
  /** JOB-9: the client certificate already holds as many job event sockets as one client may. */
  TOO_MANY_SOCKETS(429, true),
  QUEUE_FULL(429, true),
  HEADERS_TOO_LARGE(431, false),
  INTERNAL_ERROR(500, true),
  NOT_IMPLEMENTED(501, false),
  /** A request line of another HTTP major version on an HTTP/1.1 connection. */
  HTTP_VERSION_NOT_SUPPORTED(505, false),
  SERVICE_UNAVAILABLE(503, true),
  AUDIT_UNAVAILABLE(503, true),
  /** JOB-7: the job could not be persisted, so it was not accepted. */
  JOB_STORE_UNAVAILABLE(503, true),
  BACKEND_UNAVAILABLE(503, true),
  TIMEOUT(504, true);

  private final int httpStatus;
  private final boolean retryable;

  ErrorCode(int httpStatus, boolean retryable) {
    this.httpStatus = httpStatus;
    this.retryable = retryable;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public boolean retryable() {
    return retryable;
  }
}
