package io.linuxpatch.contract.config;

/**
 * {@code logging} section (AUD-1, AUD-3, AUD-5): log level, audit log path and retention, syslog output,
 * sealed checkpoints.
 *
 * @param syslog where audit records are also sent, or null (the default, {@code syslog: false})
 * @param seal   sealed checkpoints of the audit log ({@code logging.seal})
 */
public record LoggingConfig(String level, String auditPath, int retentionDays, SyslogConfig syslog, SealConfig seal) {

  static LoggingConfig read(ConfigReader r) {
    LoggingConfig c = new LoggingConfig(
        r.oneOf("level", "info", "error", "warn", "info", "debug", "trace"),
        r.path("audit_path", "/var/log/linux_patch_api/audit.jsonl"),
        r.integer("retention_days", 30, 1, 3650),
        SyslogConfig.read(r, "syslog"),
        SealConfig.read(r.section("seal")));
    r.rejectUnknownKeys();
    return c;
  }
}
