package io.linuxpatch.packages.backend.pacman.advisory;

import io.linuxpatch.contract.packages.Severity;
import io.linuxpatch.packages.advisory.AdvisoryMatch;
import io.linuxpatch.packages.plan.SecurityClassification;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the Arch security tracker says about one patch (package, installed → candidate version): the groups the
 * candidate fixes and the groups that still affect it. The patch is a security update when it fixes at least one
 * group; its id, CVEs, severity and {@code classification.reason} come from those groups, never from the name.
 *
 * @param packageName      the package
 * @param installedVersion the installed version, null for a new install
 * @param candidateVersion the version the patch installs
 * @param fixes            groups the candidate fixes, in feed order
 * @param stillOpen        groups that affect the candidate too (no fix yet, or a later one)
 */
public record ArchSecurityMatch(String packageName, String installedVersion, String candidateVersion,
    List<ArchSecurityGroup> fixes, List<ArchSecurityGroup> stillOpen) {

  /** The {@code severity_source} of every severity the tracker gives. */
  public static final String SEVERITY_SOURCE = "arch-security-tracker";

  /** The reason of every pacman patch when no tracker feed is configured. */
  public static final String NO_FEED_REASON = "no advisory data is configured (patches.advisory_feed): pacman "
      + "repositories do not mark security updates, so this update is not classified as security";

  public ArchSecurityMatch {
    fixes = List.copyOf(fixes);
    stillOpen = List.copyOf(stillOpen);
  }

  /** Whether the patch fixes at least one tracker group. */
  public boolean security() {
    return !fixes.isEmpty();
  }

  /** The patch's id: the first fixed group's advisory (ASA, else AVG), else {@code NAME/VERSION}. */
  public String patchId() {
    return fixes.isEmpty() ? packageName + "/" + candidateVersion : fixes.get(0).advisoryId();
  }

  /** The CVEs of the fixed groups, each once, in feed order. */
  public List<String> cveIds() {
    Set<String> ids = new LinkedHashSet<>();
    fixes.forEach(g -> ids.addAll(g.issues()));
    return new ArrayList<>(ids);
  }

  /** The highest severity among the fixed groups; unknown when none. */
  public Severity severity() {
    Severity highest = Severity.UNKNOWN;
    for (ArchSecurityGroup group : fixes) {
      highest = highest.max(group.severity());
    }
    return highest;
  }

  /**
   * {@code classification.reason}, naming each group and its advisory, e.g. {@code fixes AVG-1 (ASA-202601-1,
   * High: CVE-2026-0001): demo-ssl 1.0-1 is affected, fixed in 1.1-1 (Arch Linux security tracker)}.
   */
  public String reason() {
    if (fixes.isEmpty()) {
      StringBuilder text = new StringBuilder("the Arch Linux security tracker lists no fix in this update");
      if (!stillOpen.isEmpty()) {
        text.append("; still affected by ").append(String.join(", ", stillOpen.stream().map(g -> g.name()
            + (g.fixed() == null ? " (no fix yet)" : " (fixed in " + g.fixed() + ")")).toList()));
      }
      return text.toString();
    }
    List<String> parts = new ArrayList<>();
    for (ArchSecurityGroup group : fixes) {
      List<String> inside = new ArrayList<>(group.advisories());
      inside.add(group.vendorSeverity() == null ? "Unknown" : group.vendorSeverity());
      parts.add(group.name() + " (" + String.join(", ", inside) + (group.issues().isEmpty() ? ""
          : ": " + String.join(", ", group.issues())) + ")");
    }
    String installed = installedVersion == null ? "" : " " + installedVersion + " is affected,";
    return "fixes " + String.join(", ", parts) + ": " + packageName + installed + " fixed in "
        + fixes.stream().map(ArchSecurityGroup::fixed).distinct().reduce((a, b) -> a + ", " + b).orElse("")
        + " (Arch Linux security tracker)";
  }

  /** The patch's classification: security exactly when it fixes a group, with {@link #reason}. */
  public SecurityClassification classification() {
    return new SecurityClassification(security(), reason());
  }

  /** The answer in the shape every backend's advisory lookup gives. */
  public AdvisoryMatch advisory() {
    return fixes.isEmpty() ? AdvisoryMatch.NONE : new AdvisoryMatch(cveIds(), severity(), SEVERITY_SOURCE);
  }

  /** The classification of a patch on a host without a tracker feed. */
  public static SecurityClassification withoutFeed() {
    return new SecurityClassification(false, NO_FEED_REASON);
  }
}
