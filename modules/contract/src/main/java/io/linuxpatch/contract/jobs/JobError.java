package io.linuxpatch.contract.jobs;

/**
 * Why a job failed (JOB-3), classified from the package manager's exit code and output; carried in the
 * job's {@code error_code} with {@code retryable}. These are job outcomes, not HTTP answers: a job that
 * fails is still a 200 when it is read.
 */
public enum JobError {
  PKG_NOT_FOUND(false),
  PKG_VERSION_NOT_FOUND(false),
  DEPENDENCY_CONFLICT(false),
  /** The package manager's lock stayed busy for {@code jobs.lock_wait_seconds}. */
  PKG_MANAGER_LOCKED(true),
  /** dpkg was interrupted earlier; a {@code repair} job fixes it. */
  DPKG_INTERRUPTED(false),
  MAINTAINER_SCRIPT_FAILED(false),
  NETWORK_ERROR(true),
  GPG_ERROR(false),
  DISK_FULL(true),
  PERMISSION_DENIED(false),
  COMMAND_NOT_FOUND(false),
  /** The plan_id sent with the request no longer matches what apt would do. */
  PLAN_STALE(false),
  TIMEOUT(true),
  CANCELLED(false),
  AGENT_RESTARTED(true),
  PKG_MANAGER_ERROR(false);

  private final boolean retryable;

  JobError(boolean retryable) {
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
