package io.linuxpatch.contract.config;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The whole agent configuration (CFG-1): one record per section, every key with a default, so an empty
 * file is a valid (production) configuration. Built only through {@link #parse}, which reports every
 * problem with its dotted key.
 */
public record AgentConfig(
    ServerConfig server,
    TlsConfig tls,
    WhitelistConfig whitelist,
    AuthorizationConfig authorization,
    RateLimitConfig rateLimit,
    JobsConfig jobs,
    PackageManagerConfig packageManager,
    PatchesConfig patches,
    LoggingConfig logging,
    SystemConfig system,
    String dataDir,
    EnrollmentConfig enrollment,
    ClusterConfig cluster,
    MetricsConfig metrics) {

  /** The result of reading a document: the config (defaults where a key was wrong) and every problem. */
  public record Parsed(AgentConfig config, List<ConfigProblem> problems) {
    public boolean valid() {
      return problems.isEmpty();
    }
  }

  /** Reads a YAML document already turned into JSON (null or empty = all defaults). */
  public static Parsed parse(JsonObject document) {
    List<ConfigProblem> problems = new ArrayList<>();
    ConfigReader r = ConfigReader.root(document, problems);
    AgentConfig config = new AgentConfig(
        ServerConfig.read(r.section("server")),
        TlsConfig.read(r.section("tls")),
        WhitelistConfig.read(r.section("whitelist")),
        AuthorizationConfig.read(r),
        RateLimitConfig.read(r.section("rate_limit")),
        JobsConfig.read(r.section("jobs")),
        PackageManagerConfig.read(r.section("package_manager")),
        PatchesConfig.read(r.section("patches")),
        LoggingConfig.read(r.section("logging")),
        SystemConfig.read(r.section("system")),
        r.path("data_dir", "/var/lib/linux_patch_api"),
        EnrollmentConfig.read(r.section("enrollment")),
        ClusterConfig.read(r.section("cluster")),
        MetricsConfig.read(r.section("metrics")));
    r.rejectUnknownKeys();
    return new Parsed(config, List.copyOf(problems));
  }

  /** All defaults: the production configuration of an empty file. */
  public static AgentConfig defaults() {
    return parse(new JsonObject()).config();
  }

  /**
   * The keys whose change between this config and {@code newer} is not applied by a reload and needs a
   * restart (CFG-2), so that the reload can say so.
   */
  public List<String> restartNeededChanges(AgentConfig newer) {
    List<String> keys = new ArrayList<>();
    if (!Objects.equals(server.bind(), newer.server.bind())) {
      keys.add("server.bind");
    }
    if (server.port() != newer.server.port()) {
      keys.add("server.port");
    }
    if (server.instances() != newer.server.instances()) {
      keys.add("server.instances");
    }
    if (server.http2() != newer.server.http2()) {
      keys.add("server.http2");
    }
    if (server.idleTimeoutSeconds() != newer.server.idleTimeoutSeconds()) {
      keys.add("server.idle_timeout_seconds");
    }
    if (!Objects.equals(tls.minVersion(), newer.tls.minVersion())) {
      keys.add("tls.min_version");
    }
    if (!Objects.equals(dataDir, newer.dataDir)) {
      keys.add("data_dir");
    }
    if (!Objects.equals(cluster, newer.cluster)) {
      keys.add("cluster");
    }
    if (!Objects.equals(metrics, newer.metrics)) {
      keys.add("metrics");
    }
    if (!Objects.equals(packageManager, newer.packageManager)) {
      keys.add("package_manager");
    }
    if (!Objects.equals(logging.syslog(), newer.logging.syslog())) {
      keys.add("logging.syslog");
    }
    if (!Objects.equals(logging.seal(), newer.logging.seal())) {
      keys.add("logging.seal");
    }
    return keys;
  }
}
