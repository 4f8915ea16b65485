package io.linuxpatch.contract.jobs;

import java.util.Locale;
import java.util.Optional;

/** JOB-2's job states: pending → running → one of the four final states. */
public enum JobStatus {
  PENDING,
  RUNNING,
  COMPLETED,
  FAILED,
  CANCELLED,
  TIMEOUT;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isFinal() {
    return this != PENDING && this != RUNNING;
  }

  public static Optional<JobStatus> fromWire(String value) {
    for (JobStatus s : values()) {
      if (s.wire().equals(value)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
