package io.linuxpatch.packages.backend.apt.advisory;

import io.linuxpatch.contract.packages.Severity;
import java.util.Locale;

/**
 * One resolved entry of the Debian security tracker: a CVE (or TEMP id) fixed in a release at a version,
 * with the tracker's urgency.
 */
public record TrackerFix(String cveId, String fixedVersion, String urgency) {

  /**
   * The tracker's urgency as an API severity: high, medium, low/unimportant as they are, anything else
   * ("not yet assigned", "end-of-life", missing) unknown. The feed has no "critical". Trailing {@code *}
   * marks (old entries such as {@code low**}) are ignored.
   */
  public Severity severity() {
    if (urgency == null) {
      return Severity.UNKNOWN;
    }
    String u = urgency.strip().toLowerCase(Locale.ROOT).replaceAll("\\*+$", "");
    return switch (u) {
      case "high" -> Severity.HIGH;
      case "medium" -> Severity.MEDIUM;
      case "low", "unimportant" -> Severity.LOW;
      default -> Severity.UNKNOWN;
    };
  }
}
