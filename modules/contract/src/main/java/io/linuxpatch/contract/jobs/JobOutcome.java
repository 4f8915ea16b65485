package io.linuxpatch.contract.jobs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * How one package job ended, as PackageVerticle answers {@code lpa.packages.execute} (local codec, by reference):
 * its final status, and what the package manager did — the JOB-2 fields the job engine stores. Made in one place
 * per cause (the executor's run, a refused preparation, no backend, no answer) and read in one (JobVerticle).
 *
 * @param status    one of the final states: completed, failed, cancelled, timeout
 * @param exitCode  the package manager's exit status, null when none ran to the end
 * @param error     JOB-3's code; null exactly when completed (a cancel is CANCELLED, a timeout TIMEOUT, a failure
 *                  without a more precise code PKG_MANAGER_ERROR)
 * @param errorText the job's {@code error} sentence, null when completed
 * @param changes   what really changed, read back from the package database: {@code [{"name", "action",
 *                  "from_version", "to_version"}]}
 * @param logs      the run's last lines (at most 500)
 * @param plan      the simulation run just before (the before-versions), null when none was
 */
public record JobOutcome(JobStatus status, Integer exitCode, JobError error, String errorText, JsonArray changes,
    List<String> logs, JsonObject plan) {

  public JobOutcome {
    if (status == null || !status.isFinal()) {
      throw new IllegalArgumentException("a job outcome is a final status, not " + status);
    }
    error = switch (status) {
      case COMPLETED -> null;
      case CANCELLED -> JobError.CANCELLED;
      case TIMEOUT -> JobError.TIMEOUT;
      default -> error == null ? JobError.PKG_MANAGER_ERROR : error;
    };
    errorText = error == null ? null : errorText;
    // Copies: the record is handed on by reference and must not change under its reader.
    changes = changes == null ? new JsonArray() : changes.copy();
    logs = List.copyOf(logs == null ? List.of() : logs);
    plan = plan == null ? null : plan.copy();
  }

  /** A job that failed before or without a package-manager run: nothing changed, nothing logged. */
  public static JobOutcome failed(JobError error, String errorText) {
    return new JobOutcome(JobStatus.FAILED, null, error, errorText, new JsonArray(), List.of(), null);
  }

  /** The changes, as a copy the caller may keep and change. */
  @Override
  public JsonArray changes() {
    return changes.copy();
  }

  /** The plan, as a copy the caller may keep and change; null when there was none. */
  @Override
  public JsonObject plan() {
    return plan == null ? null : plan.copy();
  }

  /** The wire shape, for logs and tests: {@code {"outcome", "exit_code", "error_code", "error", "changes", "logs", "plan"}}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("outcome", status.wire())
        .put("exit_code", exitCode)
        .put("error_code", error == null ? null : error.name())
        .put("error", errorText)
        .put("changes", changes.copy())
        .put("logs", new JsonArray(new ArrayList<>(logs)))
        .put("plan", plan());
  }
}
