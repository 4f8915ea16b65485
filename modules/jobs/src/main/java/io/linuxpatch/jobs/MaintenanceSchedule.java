package io.linuxpatch.jobs;

import io.linuxpatch.contract.config.MaintenanceWindow;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

/**
 * {@code jobs.maintenance_windows} in the host's time zone: whether a mutation may start now, and when it
 * may if not. No window configured means always.
 */
final class MaintenanceSchedule {

  private final List<MaintenanceWindow> windows;
  private final ZoneId zone;

  MaintenanceSchedule(List<MaintenanceWindow> windows, ZoneId zone) {
    this.windows = List.copyOf(windows);
    this.zone = zone;
  }

  static MaintenanceSchedule of(List<MaintenanceWindow> windows) {
    return new MaintenanceSchedule(windows, Clock.systemDefaultZone().getZone());
  }

  boolean isOpen(Instant now) {
    if (windows.isEmpty()) {
      return true;
    }
    LocalDateTime local = LocalDateTime.ofInstant(now, zone);
    return windows.stream().anyMatch(w -> w.contains(local));
  }

  /** The next time a window opens after {@code now}; only meaningful when {@link #isOpen} is false. */
  Instant nextOpening(Instant now) {
    LocalDateTime local = LocalDateTime.ofInstant(now, zone);
    return windows.stream().map(w -> w.nextOpening(local)).min(LocalDateTime::compareTo)
        .map(t -> t.atZone(zone).toInstant()).orElse(now);
  }
}
