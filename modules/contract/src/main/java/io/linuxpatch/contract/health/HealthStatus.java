package io.linuxpatch.contract.health;

import java.util.Locale;

/** Status of one health check and of the whole agent (endpoint 1). Ordered from best to worst. */
public enum HealthStatus {
  HEALTHY, DEGRADED, UNHEALTHY;

  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The worse of two statuses. */
  public HealthStatus worst(HealthStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
