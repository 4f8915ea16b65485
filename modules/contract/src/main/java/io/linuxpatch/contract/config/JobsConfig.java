package io.linuxpatch.contract.config;

import java.util.List;

/** {@code jobs} section (JOB-4, JOB-5, JOB-7 and maintenance windows). */
public record JobsConfig(int maxQueueDepth, int timeoutMinutes, int lockWaitSeconds, int retentionDays,
    int maxHistory, List<String> maintenanceWindows) {

  static JobsConfig read(ConfigReader r) {
    JobsConfig c = new JobsConfig(
        r.integer("max_queue_depth", 100, 1, 10_000),
        r.integer("timeout_minutes", 30, 1, 24 * 60),
        r.integer("lock_wait_seconds", 300, 0, 24 * 3600),
        r.integer("retention_days", 30, 1, 3650),
        r.integer("max_history", 10_000, 1, 1_000_000),
        r.stringList("maintenance_windows", List.of()));
    r.rejectUnknownKeys();
    return c;
  }
}
