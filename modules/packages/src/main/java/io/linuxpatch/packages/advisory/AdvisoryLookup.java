package io.linuxpatch.packages.advisory;

/**
 * Answers "which advisories does this patch fix, and how severe are they" (PKG-3) from one feed; a host
 * without a configured feed uses {@link #none()}.
 */
public interface AdvisoryLookup {

  /**
   * The advisories fixed by moving a source package from the installed to the candidate version.
   *
   * @param sourcePackage    the Debian source package (binary packages map onto it via their Source field)
   * @param codename         the release codename as the feed names it, e.g. {@code bookworm}
   * @param installedVersion the installed version, or {@code null} for a new install (no lower bound)
   * @param candidateVersion the version the patch installs
   */
  AdvisoryMatch lookup(String sourcePackage, String codename, String installedVersion, String candidateVersion);

  /** The lookup of a host without an advisory feed: always {@link AdvisoryMatch#NONE}. */
  static AdvisoryLookup none() {
    return (sourcePackage, codename, installedVersion, candidateVersion) -> AdvisoryMatch.NONE;
  }
}
