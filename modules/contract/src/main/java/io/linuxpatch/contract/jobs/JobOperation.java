package io.linuxpatch.contract.jobs;

import java.util.Locale;
import java.util.Optional;

/** The operations a job can carry out (JOB-1), with their wire names. */
public enum JobOperation {
  INSTALL,
  UPDATE,
  REMOVE,
  PATCH_APPLY,
  CACHE_REFRESH,
  REBOOT,
  ROLLBACK,
  REPAIR;

  /** The name used in the API and in event-bus messages, e.g. {@code patch_apply}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether the job takes the package manager's lock (JOB-4): those run one at a time, in order. A reboot
   * does not: it is refused while one of those runs or waits, unless forced.
   */
  public boolean usesPackageManager() {
    return this != REBOOT;
  }

  /** Whether its changes can be reverted by a rollback job (JOB-8). */
  public boolean changesPackages() {
    return this == INSTALL || this == UPDATE || this == REMOVE || this == PATCH_APPLY || this == ROLLBACK
        || this == REPAIR;
  }

  public static Optional<JobOperation> fromWire(String value) {
    for (JobOperation op : values()) {
      if (op.wire().equals(value)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }
}
