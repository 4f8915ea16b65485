package io.linuxpatch.packages.advisory;

import io.linuxpatch.contract.packages.Severity;
import java.util.List;

/**
 * What an advisory feed says about one patch: the CVEs it fixes, the highest severity among them and
 * where that severity comes from ({@code severity_source}; {@code null} when no feed knew the patch).
 */
public record AdvisoryMatch(List<String> cveIds, Severity severity, String severitySource) {

  /** No feed, or the feed knows nothing about the patch: severity {@code unknown}, no source. */
  public static final AdvisoryMatch NONE = new AdvisoryMatch(List.of(), Severity.UNKNOWN, null);

  public AdvisoryMatch {
    cveIds = List.copyOf(cveIds);
  }
}
