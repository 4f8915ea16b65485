package io.linuxpatch.packages.backend.apt.advisory;

import io.linuxpatch.packages.advisory.AdvisoryLookup;
import io.linuxpatch.packages.advisory.AdvisoryMatch;

import io.linuxpatch.contract.packages.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The Debian security tracker reduced to what a patch lookup needs: (source package, codename) → the
 * resolved fixes. Built by {@link DebianTrackerFeed}; immutable, so one instance can serve every request.
 */
public final class DebianTrackerIndex implements AdvisoryLookup {

  /** The {@code severity_source} of every severity this index gives. */
  public static final String SEVERITY_SOURCE = "debian-security-tracker";

  private final Map<Key, List<TrackerFix>> fixes;
  private final Comparator<String> versions;

  /** (source package, release codename). */
  record Key(String sourcePackage, String codename) {
  }

  DebianTrackerIndex(Map<Key, List<TrackerFix>> fixes, Comparator<String> versions) {
    this.fixes = Map.copyOf(fixes);
    this.versions = Objects.requireNonNull(versions, "versions");
  }

  /** The resolved fixes the feed lists for a source package in a release (empty when unknown). */
  public List<TrackerFix> fixes(String sourcePackage, String codename) {
    return fixes.getOrDefault(new Key(sourcePackage, codename), List.of());
  }

  /** How many (source package, release) pairs have at least one fix. */
  public int size() {
    return fixes.size();
  }

  /**
   * The CVEs whose fixed version is at most the candidate and above the installed version. The severity is
   * the highest tracker urgency among them and comes with {@link #SEVERITY_SOURCE}; when no CVE matches,
   * the answer is {@link AdvisoryMatch#NONE} (the feed says nothing about this patch).
   */
  @Override
  public AdvisoryMatch lookup(String sourcePackage, String codename, String installedVersion,
      String candidateVersion) {
    if (sourcePackage == null || codename == null || candidateVersion == null) {
      return AdvisoryMatch.NONE;
    }
    TreeSet<String> cves = new TreeSet<>();
    Severity severity = Severity.UNKNOWN;
    for (TrackerFix fix : fixes(sourcePackage, codename)) {
      if (fixedBy(fix, installedVersion, candidateVersion)) {
        cves.add(fix.cveId());
        severity = severity.max(fix.severity());
      }
    }
    return cves.isEmpty() ? AdvisoryMatch.NONE
        : new AdvisoryMatch(new ArrayList<>(cves), severity, SEVERITY_SOURCE);
  }

  private boolean fixedBy(TrackerFix fix, String installed, String candidate) {
    try {
      return versions.compare(fix.fixedVersion(), candidate) <= 0
          && (installed == null || versions.compare(fix.fixedVersion(), installed) > 0);
    } catch (RuntimeException e) {
      // a version the comparator cannot read says nothing about this patch; one odd entry must not fail all
      return false;
    }
  }
}
