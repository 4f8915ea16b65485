package io.linuxpatch.contract;

/**
 * Event-bus addresses, the only way verticles talk to each other.
 *
 * <p>Command (request/reply) addresses are registered with {@code localConsumer}, so in clustered mode a
 * remote node can never reach them; only the published event addresses leave the process.
 */
public final class Addresses {

  /** Published by AuthVerticle whenever its files change: an {@code AccessPolicy} (local codec). */
  public static final String AUTH_POLICY = "lpa.auth.policy";
  /** Request with no body, reply the current {@code AccessPolicy}; used by verticles that start late. */
  public static final String AUTH_POLICY_CURRENT = "lpa.auth.policy.current";
  /** Published by AuthVerticle when certificates or the CRL changed: a {@code TlsMaterial} (local codec). */
  public static final String AUTH_TLS = "lpa.auth.tls";
  /** Request with no body, reply the current {@code TlsMaterial}. */
  public static final String AUTH_TLS_CURRENT = "lpa.auth.tls.current";

  /** Published by the config watcher after a valid change: the new {@code AgentConfig} (local codec). */
  public static final String CONFIG_CHANGED = "lpa.config.changed";

  /**
   * Published by the enrollment verticle whenever renewal changes state: a {@code RenewalStatus} (local codec),
   * which AuthVerticle shows in the {@code certificates} health check. Never carries a token or key.
   */
  public static final String ENROLLMENT_STATUS = "lpa.enrollment.status";

  /** Published by every owner of a health check: a {@code HealthCheck} (local codec). */
  public static final String HEALTH_CHECK = "lpa.health.check";
  /** Published (no body) by a late starter: every owner publishes its current check again. */
  public static final String HEALTH_RESYNC = "lpa.health.resync";

  /** Request with no body, reply a JsonObject with the system facts of SPEC endpoint 9. */
  public static final String SYSTEM_INFO = "lpa.system.info";
  /** Request {@code {"name": unit}}, reply a JsonObject with the unit state of SPEC endpoint 17. */
  public static final String SYSTEM_SERVICE = "lpa.system.service";

  /**
   * Request: list query (API-6 filters) → {@code {"packages": [...], "total", "limit", "offset"}} as
   * {@link EncodedJson}: encoded once per query while the packages do not change.
   */
  public static final String PACKAGES_LIST = "lpa.packages.list";
  /** Request {@code {"name", "files"}} → one package's details, or PKG_NOT_FOUND. */
  public static final String PACKAGES_GET = "lpa.packages.get";
  /** Request: patch filters → {@code {"patches": [...], "total", "limit", "offset"}}. */
  public static final String PACKAGES_PATCHES = "lpa.packages.patches";
  /** Request: a change to simulate → the plan of apt's simulation with its {@code plan_id}. */
  public static final String PACKAGES_PLAN = "lpa.packages.plan";
  /** Request: no body → {@code {"holds": [...], "total", ...}}. */
  public static final String PACKAGES_HOLDS = "lpa.packages.holds";
  /**
   * Request: no body → {@code {"installed_kernels": [releases, oldest first], "newest": release or null}}
   * from the installed {@code linux-image-<release>} packages (PKG-4); BACKEND_UNAVAILABLE without a backend.
   */
  public static final String PACKAGES_KERNELS = "lpa.packages.kernels";

  /**
   * Request (JobVerticle → PackageVerticle): run one package job and reply when it has ended. Body:
   * {@code {"job_id", "operation": wire name, "params": {...}, "timeout_seconds", "lock_wait_seconds"}} where
   * {@code params} is what the client asked for, in the shape {@link #PACKAGES_PLAN} takes (for rollback:
   * {@code {"changes": [the original job's changes]}}). The reply is always a success carrying the outcome, a
   * {@link io.linuxpatch.contract.jobs.JobOutcome} (local codec): status, exit code, JOB-3 error, the changes read
   * back, the last log lines and the plan run just before (the recorded before-versions). Progress goes to
   * {@link #JOBS_PROGRESS} while it runs. The sender waits for the reply up to the job's timeout, its lock wait and
   * the backend's {@link #PACKAGES_RECOVERY_BUDGET}.
   */
  public static final String PACKAGES_EXECUTE = "lpa.packages.execute";
  /**
   * Request (JobVerticle → PackageVerticle), no body → {@code {"recovery_seconds": n}}: how long the backend may
   * need, after a run was terminated or the agent restarted, to end what is left and check and repair its
   * database — how much longer than a job's timeout the job engine waits for its outcome. BACKEND_UNAVAILABLE
   * without a backend.
   */
  public static final String PACKAGES_RECOVERY_BUDGET = "lpa.packages.recovery_budget";
  /** Request {@code {"job_id"}}: terminate that job's process group (JOB-6) → {@code {"cancelled": bool}}. */
  public static final String PACKAGES_CANCEL = "lpa.packages.cancel";
  /**
   * Request {@code {"plan"?}}: check the package database after an interruption (JOB-5, JOB-7), repairing it
   * when dpkg was interrupted → {@code {"interrupted": bool, "repaired": bool, "logs": [lines], "changes"?}};
   * with the plan of an interrupted job, {@code changes} is what really changed among its packages.
   */
  public static final String PACKAGES_CHECK_DATABASE = "lpa.packages.check";
  /** Request {@code {"name", "hold": bool}} → {@code {"name", "held": bool, "changed": bool}} (apt-mark). */
  public static final String PACKAGES_HOLD = "lpa.packages.hold";

  /**
   * Sent (PackageVerticle → JobVerticle) while a job runs: {@code {"job_id", "progress": 0-100?,
   * "message": text?}} from apt's Status-Fd and lock-wait lines; once, before the package manager starts,
   * {@code {"job_id", "plan"}} with the before-versions (persisted with the job for a crash).
   */
  public static final String JOBS_PROGRESS = "lpa.jobs.progress";
  /**
   * Request: a new job. {@code {"operation", "params", "request_id", "requested_by": identity,
   * "idempotency_key"?, "idempotency_hash"?, "force"?, "rollback_of"?, "lookup_only"?}} → {@code {"job": job,
   * "repeat": bool}}; with {@code lookup_only} only the Idempotency-Key is looked up ({@code "job": null} when new)
   * once the job is persisted and its audit record is on disk; QUEUE_FULL, REBOOT_BLOCKED, AUDIT_UNAVAILABLE,
   * JOB_STORE_UNAVAILABLE, IDEMPOTENCY_KEY_REUSED, JOB_NOT_FOUND, JOB_NOT_ROLLBACKABLE otherwise.
   */
  public static final String JOBS_SUBMIT = "lpa.jobs.submit";
  /** Request: list query ({@code status, operation, since, sort, order, limit, offset}) → API-6 page of jobs. */
  public static final String JOBS_LIST = "lpa.jobs.list";
  /** Request {@code {"job_id"}} → the full job, or JOB_NOT_FOUND. */
  public static final String JOBS_GET = "lpa.jobs.get";
  /** Request {@code {"job_id"}} → {@code {"action": "cancelled"|"cancelling"|"deleted", "job"}} (endpoint 14). */
  public static final String JOBS_DELETE = "lpa.jobs.delete";

  /**
   * Request {@code {"delay_seconds", "reason"}}: runs {@code system.reboot_command} →
   * {@code {"exit_code", "command": [argv]}}, or fails with the command's error.
   */
  public static final String SYSTEM_REBOOT = "lpa.system.reboot";

  /**
   * Published job events (JOB-9); crosses the cluster:
   * {@code {"type": "job_status"|"job_complete", "job": job without logs}}.
   */
  public static final String JOB_EVENTS = "lpa.jobs.events";
  /**
   * Audit records sent to the AuditVerticle (a JsonObject). {@code "durable": true}: reply {@code {"seq"}} after
   * fsync, AUDIT_UNAVAILABLE when refused; {@code "owed_key": id}: the sender keeps a refused record and sends it
   * again until written, counted as owed meanwhile (AUD-5). Both fields are removed before writing.
   */
  public static final String AUDIT_RECORD = "lpa.audit.record";
  /** Published audit events; crosses the cluster. */
  public static final String AUDIT_EVENTS = "lpa.audit.events";

  private Addresses() {}
}
