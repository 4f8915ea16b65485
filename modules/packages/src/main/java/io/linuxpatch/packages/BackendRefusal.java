package io.linuxpatch.packages;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.jobs.JobError;
import io.vertx.core.json.JsonObject;

/**
 * A backend's "no" to a request (unknown package, invalid name, apt refusing a plan): an answer with an
 * error code, not a fault, so it carries no stack trace.
 */
public final class BackendRefusal extends RuntimeException {

  private final ErrorCode code;
  private final JsonObject details;
  private final int exitCode;
  private final String toolError;

  public BackendRefusal(ErrorCode code, String message, JsonObject details) {
    this(code, message, details, 0, null);
  }

  /**
   * A refusal by the package manager itself (a simulation it would not do), with its exit code and error text:
   * a job refused at preparation is classified from them like a real run (JOB-3).
   */
  public BackendRefusal(ErrorCode code, String message, JsonObject details, int exitCode, String toolError) {
    super(message, null, false, false);
    this.code = code;
    this.details = details == null ? new JsonObject() : details;
    this.exitCode = exitCode;
    this.toolError = toolError;
  }

  /**
   * The answer's code for a simulation the package manager refused with {@code error} (JOB-3's classification, as
   * a real run would get): what the client asked for wrongly is a 4xx, anything else the host cannot do now a 503.
   */
  public static ErrorCode codeOfRefused(JobError error) {
    return switch (error == null ? JobError.PKG_MANAGER_ERROR : error) {
      case PKG_NOT_FOUND -> ErrorCode.PKG_NOT_FOUND;
      case PKG_VERSION_NOT_FOUND -> ErrorCode.PKG_VERSION_NOT_FOUND;
      case DEPENDENCY_CONFLICT -> ErrorCode.DEPENDENCY_CONFLICT;
      default -> ErrorCode.BACKEND_UNAVAILABLE;
    };
  }

  /** The package manager's exit code when it refused, 0 otherwise. */
  public int exitCode() {
    return exitCode;
  }

  /** The package manager's error text when it refused, else null. */
  public String toolError() {
    return toolError;
  }

  public ErrorCode code() {
    return code;
  }

  public JsonObject details() {
    return details;
  }
}
