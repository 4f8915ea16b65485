package io.linuxpatch.packages.backend.dnf.advisory;

import io.linuxpatch.contract.packages.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An advisory as dnf sees it (PKG-3): id ({@code RHSA-…}, {@code FEDORA-…}), type, severity mapped for the API,
 * CVE ids from its references, and the package versions it is about. Built by {@link #join} from the two
 * {@code dnf updateinfo list} runs a backend makes: without {@code --with-cve} (ids) and with it (CVE ids).
 *
 * @param id          the advisory id
 * @param type        {@code security}, {@code bugfix}, {@code enhancement}, {@code newpackage} or {@code unknown}
 * @param dnfSeverity dnf's word ({@code Important}) for a security advisory, {@code null} otherwise
 * @param severity    Critical/Important/Moderate/Low → critical/high/medium/low; anything else unknown
 * @param cveIds      in the order dnf listed them
 * @param packages    NEVRAs, in the order dnf listed them
 */
public record DnfAdvisory(String id, String type, String dnfSeverity, Severity severity, List<String> cveIds,
    List<String> packages) {

  public DnfAdvisory {
    cveIds = List.copyOf(cveIds);
    packages = List.copyOf(packages);
  }

  /** Only a security advisory makes a patch {@code security: true} (PKG-3). */
  public boolean security() {
    return type.equals("security");
  }

  /** dnf's severity word as the API's severity. */
  public static Severity severityOf(String dnfSeverity) {
    if (dnfSeverity == null) {
      return Severity.UNKNOWN;
    }
    return switch (dnfSeverity.toLowerCase(Locale.ROOT)) {
      case "critical" -> Severity.CRITICAL;
      case "important" -> Severity.HIGH;
      case "moderate" -> Severity.MEDIUM;
      case "low" -> Severity.LOW;
      default -> Severity.UNKNOWN;
    };
  }

  /**
   * Joins the two listings. dnf prints one line per (package version, advisory) and, with {@code --with-cve},
   * one line per (package version, CVE) — the advisory id is not on those lines. A CVE line is matched to the
   * advisory lines with the same package version, label (and, under {@code -v}, update date): that is exact
   * unless two advisories of the same type and severity fix the same package version, in which case the CVE
   * is given to each of them (dnf itself cannot tell them apart in this listing; {@code updateinfo info} can).
   *
   * @param advisoryLines {@code dnf updateinfo list [--updates]} (same options as the other run)
   * @param cveLines      {@code dnf updateinfo list [--updates] --with-cve}
   */
  public static List<DnfAdvisory> join(List<UpdateInfoLine> advisoryLines, List<UpdateInfoLine> cveLines) {
    Map<String, List<String>> idsByKey = new LinkedHashMap<>();
    Map<String, Builder> byId = new LinkedHashMap<>();
    for (UpdateInfoLine line : advisoryLines) {
      idsByKey.computeIfAbsent(line.joinKey(), k -> new ArrayList<>()).add(line.id());
      Builder advisory = byId.computeIfAbsent(line.id(), id -> new Builder(id, line));
      advisory.packages.add(line.nevra());
    }
    for (UpdateInfoLine cve : cveLines) {
      for (String id : idsByKey.getOrDefault(cve.joinKey(), List.of())) {
        byId.get(id).cves.add(cve.id());
      }
    }
    return byId.values().stream().map(Builder::build).toList();
  }

  private static final class Builder {
    private final String id;
    private final UpdateInfoLine first;
    private final Set<String> cves = new LinkedHashSet<>();
    private final Set<String> packages = new LinkedHashSet<>();

    Builder(String id, UpdateInfoLine first) {
      this.id = id;
      this.first = first;
    }

    DnfAdvisory build() {
      return new DnfAdvisory(id, first.type(), first.dnfSeverity(), severityOf(first.dnfSeverity()),
          new ArrayList<>(cves), new ArrayList<>(packages));
    }
  }
}
