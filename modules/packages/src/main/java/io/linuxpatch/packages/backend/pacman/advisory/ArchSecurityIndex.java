package io.linuxpatch.packages.backend.pacman.advisory;

import io.linuxpatch.packages.advisory.AdvisoryLookup;
import io.linuxpatch.packages.advisory.AdvisoryMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Arch Linux security tracker reduced to what a patch lookup needs: package name → its groups, in feed order.
 * Built by {@link ArchSecurityFeed}; immutable, so one instance serves every request.
 */
public final class ArchSecurityIndex implements AdvisoryLookup {

  private final Map<String, List<ArchSecurityGroup>> groups;
  private final int groupCount;

  ArchSecurityIndex(Map<String, List<ArchSecurityGroup>> groups, int groupCount) {
    this.groups = Map.copyOf(groups);
    this.groupCount = groupCount;
  }

  /** Every group naming the package (empty when the tracker knows none). */
  public List<ArchSecurityGroup> groups(String packageName) {
    return groups.getOrDefault(packageName, List.of());
  }

  /** How many groups the feed held. */
  public int size() {
    return groupCount;
  }

  /**
   * What the tracker says about updating {@code packageName} from {@code installedVersion} (null for an install)
   * to {@code candidateVersion}: the groups that update fixes and those still affecting the candidate.
   */
  public ArchSecurityMatch match(String packageName, String installedVersion, String candidateVersion) {
    List<ArchSecurityGroup> fixes = new ArrayList<>();
    List<ArchSecurityGroup> open = new ArrayList<>();
    for (ArchSecurityGroup group : groups(packageName)) {
      if (group.fixedBy(installedVersion, candidateVersion)) {
        fixes.add(group);
      } else if (group.affects(candidateVersion)) {
        open.add(group);
      }
    }
    return new ArchSecurityMatch(packageName, installedVersion, candidateVersion, fixes, open);
  }

  /**
   * The shared lookup: Arch has one rolling release, so the codename is ignored, and the tracker names pkgnames,
   * so {@code sourcePackage} is the package's own name here.
   */
  @Override
  public AdvisoryMatch lookup(String sourcePackage, String codename, String installedVersion,
      String candidateVersion) {
    if (sourcePackage == null || candidateVersion == null) {
      return AdvisoryMatch.NONE;
    }
    return match(sourcePackage, installedVersion, candidateVersion).advisory();
  }
}
