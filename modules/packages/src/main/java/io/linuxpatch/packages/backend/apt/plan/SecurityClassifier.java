package io.linuxpatch.packages.backend.apt.plan;

import io.linuxpatch.packages.plan.CandidateArchive;
import io.linuxpatch.packages.plan.PlanAction;
import io.linuxpatch.packages.plan.SecurityClassification;

import java.util.List;
import java.util.Locale;

/**
 * PKG-3 for apt: a candidate is a security update when it is available from a security archive, i.e. a
 * suite ending in {@code -security} (Debian's {@code bookworm-security}, {@code stable-security}, Ubuntu's
 * {@code jammy-security} pocket) or a Label/Origin ending in {@code -Security} ({@code Debian-Security}).
 *
 * <p>Never from package names. When apt lists several archives for the candidate (e.g. after a point
 * release folded a security fix into {@code stable}) any security archive makes it a security update:
 * the version contains the fix wherever it is downloaded from.
 */
public final class SecurityClassifier {

  private static final String SUFFIX = "-security";

  /** Classifies a candidate by the archives it is available from (apt's order). */
  public SecurityClassification classify(List<CandidateArchive> archives) {
    if (archives == null || archives.isEmpty()) {
      return new SecurityClassification(false, "candidate has no archive (installed or local only): "
          + "not a security archive");
    }
    for (CandidateArchive archive : archives) {
      if (isSecurityArchive(archive.suite(), archive.label())) {
        return new SecurityClassification(true, "candidate from " + archive.describe());
      }
    }
    return new SecurityClassification(false,
        "candidate from " + archives.get(0).describe() + ": not a security archive");
  }

  /** Classifies a planned change by where its new version comes from. */
  public SecurityClassification classify(PlanAction action) {
    return classify(action.archives());
  }

  /**
   * Whether an archive is a security archive by its suite (apt's {@code a=}), or its Label or Origin
   * ({@code l=}, {@code o=} in {@code apt-cache policy}).
   */
  public boolean isSecurityArchive(String suite, String labelOrOrigin) {
    return endsWithSecurity(suite) || endsWithSecurity(labelOrOrigin);
  }

  private static boolean endsWithSecurity(String s) {
    return s != null && s.strip().toLowerCase(Locale.ROOT).endsWith(SUFFIX);
  }
}
