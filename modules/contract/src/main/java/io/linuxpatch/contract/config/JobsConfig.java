package io.linuxpatch.contract.config;

import java.util.List;

/** {@code jobs} section (JOB-4, JOB-5, JOB-7 and maintenance windows). */
public record JobsConfig(int maxQueueDepth, int timeoutMinutes, int lockWaitSeconds, int retentionDays,
    int maxHistory, List<String> maintenanceWindows) {

  /** The parsed windows; empty means mutations may run at any time (CFG-1). */
  public List<MaintenanceWindow> windows() {
    return maintenanceWindows.stream().map(MaintenanceWindow::parse).toList();
  }

  static JobsConfig read(ConfigReader r) {
    JobsConfig c = new JobsConfig(
        r.integer("max_queue_depth", 100, 1, 10_000),
        r.integer("timeout_minutes", 30, 1, 24 * 60),
        r.integer("lock_wait_seconds", 300, 0, 24 * 3600),
        r.integer("retention_days", 30, 1, 3650),
        r.integer("max_history", 10_000, 1, 1_000_000),
        r.stringList("maintenance_windows", List.of()));
    for (String entry : c.maintenanceWindows()) {
      try {
        MaintenanceWindow.parse(entry);
      } catch (IllegalArgumentException e) {
        r.problem("maintenance_windows", e.getMessage());
      }
    }
    r.rejectUnknownKeys();
    return c;
  }
}
