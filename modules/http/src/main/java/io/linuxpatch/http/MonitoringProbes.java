package io.linuxpatch.http;

import java.util.Set;

/**
 * The monitoring probes (AUD-1, SEC-8): paths a monitoring system polls every few seconds, which are
 * counted in metrics instead of audited and never charged to a client's rate budget.
 */
final class MonitoringProbes {

  private static final Set<String> PATHS = Set.of("/health", "/api/v1/health", "/metrics");

  private MonitoringProbes() {}

  static boolean contains(String path) {
    return PATHS.contains(path);
  }
}
