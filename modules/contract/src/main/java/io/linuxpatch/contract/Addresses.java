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

  /** Published by every owner of a health check: a {@code HealthCheck} (local codec). */
  public static final String HEALTH_CHECK = "lpa.health.check";
  /** Published (no body) by a late starter: every owner publishes its current check again. */
  public static final String HEALTH_RESYNC = "lpa.health.resync";

  /** Request with no body, reply a JsonObject with the system facts of SPEC endpoint 9. */
  public static final String SYSTEM_INFO = "lpa.system.info";
  /** Request {@code {"name": unit}}, reply a JsonObject with the unit state of SPEC endpoint 17. */
  public static final String SYSTEM_SERVICE = "lpa.system.service";

  /** Request: list query (API-6 filters) → {@code {"packages": [...], "total", "limit", "offset"}}. */
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

  /** Published job events (JOB-9); crosses the cluster. */
  public static final String JOB_EVENTS = "lpa.jobs.events";
  /** Audit records sent to the AuditVerticle. */
  public static final String AUDIT_RECORD = "lpa.audit.record";
  /** Published audit events; crosses the cluster. */
  public static final String AUDIT_EVENTS = "lpa.audit.events";

  private Addresses() {}
}
