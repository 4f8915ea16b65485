package io.linuxpatch.packages.backend.pacman.advisory;

import io.linuxpatch.contract.packages.Severity;
import io.linuxpatch.packages.backend.pacman.version.PacmanVersion;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One group of the Arch Linux security tracker ({@code AVG-n}, one entry of
 * {@code https://security.archlinux.org/all.json}): the packages it concerns, its status and severity, the version
 * the tracker saw affected, the first fixed version, its CVEs and the published advisories ({@code ASA-YYYYMM-n}).
 *
 * @param name           {@code AVG-n}
 * @param packages       pkgnames (not pkgbases), as the tracker lists them
 * @param status         the group's status
 * @param severity       the tracker's severity, lowercased into the API's scale
 * @param vendorSeverity the tracker's own word ({@code High}), kept for provenance
 * @param type           the issue type, or {@code multiple issues}; may be null
 * @param affected       the version the tracker saw affected; may be null
 * @param fixed          the first fixed version, null while none is
 * @param issues         CVE ids
 * @param advisories     published advisory ids ({@code ASA-…}), possibly none
 */
public record ArchSecurityGroup(String name, List<String> packages, Status status, Severity severity,
    String vendorSeverity, String type, String affected, String fixed, List<String> issues, List<String> advisories) {

  /** The tracker's group status ({@code tracker/model/enum.py}: Unknown, Vulnerable, Testing, Fixed, Not affected). */
  public enum Status {
    UNKNOWN("Unknown"), VULNERABLE("Vulnerable"), TESTING("Testing"), FIXED("Fixed"), NOT_AFFECTED("Not affected");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    /** The status for the tracker's label, null for a label it does not use. */
    static Status ofLabel(String label) {
      for (Status status : values()) {
        if (status.label.equals(label)) {
          return status;
        }
      }
      return null;
    }
  }

  public ArchSecurityGroup {
    Objects.requireNonNull(name, "name");
    packages = List.copyOf(packages);
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(severity, "severity");
    issues = List.copyOf(issues);
    advisories = List.copyOf(advisories);
  }

  /** The tracker's severity word lowercased into the API's scale; a word it does not use is {@code unknown}. */
  static Severity severityOf(String label) {
    if (label == null) {
      return Severity.UNKNOWN;
    }
    return switch (label.toLowerCase(Locale.ROOT)) {
      case "critical" -> Severity.CRITICAL;
      case "high" -> Severity.HIGH;
      case "medium" -> Severity.MEDIUM;
      case "low" -> Severity.LOW;
      default -> Severity.UNKNOWN;
    };
  }

  /** The advisory id a patch shows: the first published ASA, else the group's own AVG id. */
  public String advisoryId() {
    return advisories.isEmpty() ? name : advisories.get(0);
  }

  /**
   * Whether {@code version} is affected, by arch-audit's rule: the group is not "Not affected", and there is no
   * fixed version yet or the version is older than it. {@code affected} is not a lower bound: it is the version
   * the tracker looked at, and older versions are not known to be safe.
   */
  public boolean affects(String version) {
    if (status == Status.NOT_AFFECTED || version == null) {
      return false;
    }
    return fixed == null || PacmanVersion.compare(version, fixed) < 0;
  }

  /** Whether moving from {@code installed} (null: not installed) to {@code candidate} fixes this group. */
  public boolean fixedBy(String installed, String candidate) {
    if (status == Status.NOT_AFFECTED || fixed == null || candidate == null) {
      return false;
    }
    return PacmanVersion.compare(candidate, fixed) >= 0 && (installed == null || affects(installed));
  }
}
