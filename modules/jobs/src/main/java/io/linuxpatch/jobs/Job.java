package io.linuxpatch.jobs;

import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.contract.jobs.JobOperation;
import io.linuxpatch.contract.jobs.JobStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One job (JOB-2). Mutable on purpose: only the JobVerticle's context ever touches a job, so its state
 * changes need no locks; what leaves that context (persistence, events, replies) is a JSON snapshot.
 */
final class Job {

  /** JOB-2: the logs a job keeps. */
  static final int MAX_LOG_LINES = 500;

  private final UUID id;
  private final JobOperation operation;
  private final Instant createdAt;
  private final String requestId;
  private final JsonObject requestedBy;
  private final JsonObject params;
  private final boolean force;
  private final String idempotencyKey;
  private final String idempotencyHash;
  private final UUID rollbackOf;

  private JobStatus status = JobStatus.PENDING;
  private int progress;
  private String message = "queued";
  private Instant startedAt;
  private Instant updatedAt;
  private Instant completedAt;
  private JsonArray changes = new JsonArray();
  private List<String> logs = new ArrayList<>();
  private Integer exitCode;
  private String error;
  private JobError errorCode;
  private JsonObject plan;
  private UUID rolledBackBy;
  /** A client asked to cancel while the job was running; not stored: a restart fails a running job anyway. */
  private boolean cancelRequested;
  /**
   * Audit events of this job not yet in the audit log (AUD-5): stored with the job, so that a record the log
   * refused (disk full) or one a crash cut off is written later, never lost.
   */
  private final Set<String> owedAudit = new LinkedHashSet<>();

  Job(UUID id, JobOperation operation, Instant createdAt, String requestId, JsonObject requestedBy, JsonObject params,
      boolean force, String idempotencyKey, String idempotencyHash, UUID rollbackOf) {
    this.id = id;
    this.operation = operation;
    this.createdAt = createdAt;
    this.updatedAt = createdAt;
    this.requestId = requestId;
    this.requestedBy = requestedBy == null ? new JsonObject() : requestedBy;
    this.params = params == null ? new JsonObject() : params;
    this.force = force;
    this.idempotencyKey = idempotencyKey;
    this.idempotencyHash = idempotencyHash;
    this.rollbackOf = rollbackOf;
  }

  UUID id() {
    return id;
  }

  JobOperation operation() {
    return operation;
  }

  JobStatus status() {
    return status;
  }

  Instant createdAt() {
    return createdAt;
  }

  Instant updatedAt() {
    return updatedAt;
  }

  Instant completedAt() {
    return completedAt;
  }

  /** When it started, or its creation for a job that never did. */
  Instant startedOrCreatedAt() {
    return startedAt == null ? createdAt : startedAt;
  }

  String requestId() {
    return requestId;
  }

  JsonObject requestedBy() {
    return requestedBy;
  }

  JobError errorCode() {
    return errorCode;
  }

  JsonObject params() {
    return params;
  }

  boolean force() {
    return force;
  }

  String idempotencyKey() {
    return idempotencyKey;
  }

  String idempotencyHash() {
    return idempotencyHash;
  }

  String clientFingerprint() {
    return requestedBy.getString("sha256", "");
  }

  JsonArray changes() {
    return changes;
  }

  UUID rolledBackBy() {
    return rolledBackBy;
  }

  String message() {
    return message;
  }

  void start(Instant now) {
    status = JobStatus.RUNNING;
    startedAt = now;
    message = "running";
    touch(now);
  }

  /** Progress from the package manager; never goes backwards within a run. */
  void progress(Integer percent, String text, Instant now) {
    if (percent != null) {
      progress = Math.max(progress, Math.min(100, Math.max(0, percent)));
    }
    if (text != null) {
      message = text;
    }
    touch(now);
  }

  void requestCancel() {
    cancelRequested = true;
  }

  boolean cancelRequested() {
    return cancelRequested;
  }

  void waiting(String text, Instant now) {
    message = text;
    touch(now);
  }

  /** Ends the job; {@code error} is null for a success. */
  void finish(JobStatus end, String text, JobError code, String errorText, Instant now) {
    status = end;
    message = text;
    errorCode = code;
    error = errorText;
    if (end == JobStatus.COMPLETED) {
      progress = 100;
    }
    completedAt = now;
    touch(now);
  }

  void outcome(Integer exit, JsonArray changed, List<String> lines, JsonObject simulated) {
    exitCode = exit;
    changes = changed == null ? new JsonArray() : changed;
    plan = simulated;
    appendLogs(lines);
  }

  /** The before-versions of a job that is starting (JOB-7: kept in case the agent dies during the run). */
  void recordPlan(JsonObject simulated) {
    plan = simulated;
  }

  JsonObject plan() {
    return plan;
  }

  /** What a restart read back of an interrupted job's packages. */
  void changesAfterRestart(JsonArray changed) {
    changes = changed == null ? new JsonArray() : changed;
  }

  void appendLogs(List<String> lines) {
    if (lines == null) {
      return;
    }
    logs.addAll(lines);
    if (logs.size() > MAX_LOG_LINES) {
      logs = new ArrayList<>(logs.subList(logs.size() - MAX_LOG_LINES, logs.size()));
    }
  }

  /** The audit log owes {@code event} of this job until {@link #paid}. */
  void owe(String event) {
    owedAudit.add(event);
  }

  void paid(String event) {
    owedAudit.remove(event);
  }

  /** The owed audit events, in the order they were owed. */
  List<String> owedAudit() {
    return List.copyOf(owedAudit);
  }

  void rolledBackBy(UUID rollback, Instant now) {
    rolledBackBy = rollback;
    touch(now);
  }

  private void touch(Instant now) {
    updatedAt = now;
  }

  /** The names the job is about: what was asked for, else what changed. */
  private JsonArray packages() {
    JsonArray names = new JsonArray();
    JsonArray asked = params.getJsonArray("packages");
    if (asked != null) {
      asked.forEach(p -> names.add(p instanceof JsonObject o ? o.getString("name") : String.valueOf(p)));
    } else {
      changes.forEach(c -> names.add(((JsonObject) c).getString("name")));
    }
    return names;
  }

  /** The job as events and lists show it: everything but the logs and the plan. */
  JsonObject summary() {
    JsonObject json = new JsonObject()
        .put("job_id", id.toString())
        .put("operation", operation.wire())
        .put("status", status.wire())
        .put("progress", progress)
        .put("message", message)
        .put("created_at", Times.format(createdAt))
        .put("started_at", Times.format(startedAt))
        .put("updated_at", Times.format(updatedAt))
        .put("completed_at", Times.format(completedAt))
        .put("request_id", requestId)
        .put("requested_by", requestedBy)
        .put("packages", packages())
        .put("changes", changes)
        .put("exit_code", exitCode)
        .put("error", error)
        .put("error_code", errorCode == null ? null : errorCode.name())
        .put("retryable", errorCode == null ? null : errorCode.retryable())
        .put("rollback_of", rollbackOf == null ? null : rollbackOf.toString())
        .put("rolled_back_by", rolledBackBy == null ? null : rolledBackBy.toString())
        .put("params", params);
    if (force) {
      json.put("force", true);
    }
    return json;
  }

  /** The full job of endpoint 12. */
  JsonObject toJson() {
    return summary().put("logs", new JsonArray(new ArrayList<>(logs))).put("plan", plan);
  }

  /**
   * What the job store keeps: the full job plus what only the agent needs (API-5's key and request hash, the
   * audit records still owed).
   */
  JsonObject toStored() {
    JsonObject stored = toJson().put("idempotency_key", idempotencyKey).put("idempotency_hash", idempotencyHash);
    if (!owedAudit.isEmpty()) {
      stored.put("audit_owed", new JsonArray(new ArrayList<>(owedAudit)));
    }
    return stored;
  }

  /** A stored job read back at start-up (JOB-7). */
  static Job fromStored(JsonObject json) {
    Job job = new Job(UUID.fromString(json.getString("job_id")),
        JobOperation.fromWire(json.getString("operation")).orElseThrow(
            () -> new IllegalArgumentException("unknown operation " + json.getString("operation"))),
        Times.parse(json.getString("created_at")), json.getString("request_id"),
        json.getJsonObject("requested_by"), json.getJsonObject("params"), json.getBoolean("force", false),
        json.getString("idempotency_key"), json.getString("idempotency_hash"),
        json.getString("rollback_of") == null ? null : UUID.fromString(json.getString("rollback_of")));
    job.status = JobStatus.fromWire(json.getString("status")).orElseThrow(
        () -> new IllegalArgumentException("unknown status " + json.getString("status")));
    job.progress = json.getInteger("progress", 0);
    job.message = json.getString("message");
    job.startedAt = Times.parse(json.getString("started_at"));
    job.updatedAt = Times.parse(json.getString("updated_at"));
    job.completedAt = Times.parse(json.getString("completed_at"));
    job.changes = json.getJsonArray("changes", new JsonArray());
    JsonArray storedLogs = json.getJsonArray("logs", new JsonArray());
    storedLogs.forEach(line -> job.logs.add(String.valueOf(line)));
    job.exitCode = json.getInteger("exit_code");
    job.error = json.getString("error");
    job.errorCode = json.getString("error_code") == null ? null : JobError.valueOf(json.getString("error_code"));
    job.plan = json.getJsonObject("plan");
    job.rolledBackBy = json.getString("rolled_back_by") == null ? null : UUID.fromString(json.getString("rolled_back_by"));
    json.getJsonArray("audit_owed", new JsonArray()).forEach(event -> job.owedAudit.add(String.valueOf(event)));
    return job;
  }
}
