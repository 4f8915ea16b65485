package io.linuxpatch.packages.inventory;

import io.linuxpatch.packages.version.DebianVersion;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One version of a package that apt could install, from one downloaded {@code Packages} index.
 *
 * <p>A stock host's lists offer 60,000 to 100,000 of these (issue 20), so each keeps only what listings and
 * plans need, compactly: the version as its text (parsed when compared, and shared between the packages of one
 * source), the architecture from a small vocabulary, the size in KiB as an {@code int}, and the summary as its
 * UTF-8 bytes.
 */
public final class AvailablePackage {

  private static final byte[] NO_SUMMARY = new byte[0];

  private final String name;
  private final String architecture;
  private final String versionText;
  private final int installedSizeKib;
  private final byte[] summary;
  private final AptRelease release;

  /**
   * @param name             the package name
   * @param architecture     {@code amd64}, {@code all}…
   * @param versionText      the version offered, as the index writes it (already checked to parse)
   * @param installedSizeKib Installed-Size in KiB, -1 when absent
   * @param summaryUtf8      the first line of the description as UTF-8 bytes, empty when the index only carries its md5
   * @param release          the repository suite it comes from
   */
  AvailablePackage(String name, String architecture, String versionText, int installedSizeKib, byte[] summaryUtf8,
      AptRelease release) {
    this.name = Objects.requireNonNull(name, "name");
    this.architecture = Objects.requireNonNull(architecture, "architecture");
    this.versionText = Objects.requireNonNull(versionText, "versionText");
    this.installedSizeKib = installedSizeKib;
    this.summary = summaryUtf8.length == 0 ? NO_SUMMARY : summaryUtf8;
    this.release = Objects.requireNonNull(release, "release");
  }

  public String name() {
    return name;
  }

  public String architecture() {
    return architecture;
  }

  /** The version, parsed on each call: comparisons are rare next to the number of packages held. */
  public DebianVersion version() {
    return DebianVersion.parse(versionText);
  }

  /** The version as the index writes it. */
  public String versionText() {
    return versionText;
  }

  /** Installed-Size in bytes, empty when absent. */
  public OptionalLong installedSizeBytes() {
    return installedSizeKib < 0 ? OptionalLong.empty() : OptionalLong.of(installedSizeKib * 1024L);
  }

  /** The first line of the description, empty when the index only carries its md5. */
  public String summary() {
    return summary.length == 0 ? "" : new String(summary, StandardCharsets.UTF_8);
  }

  public AptRelease release() {
    return release;
  }

  /**
   * Whether this can upgrade or replace an installed package of {@code installedArchitecture}: the same
   * architecture, or {@code all} on either side (packages move between {@code all} and an architecture).
   */
  public boolean fits(String installedArchitecture) {
    return architecture.equals(installedArchitecture) || architecture.equals("all")
        || installedArchitecture.equals("all") || installedArchitecture.isEmpty();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AvailablePackage that && installedSizeKib == that.installedSizeKib
        && name.equals(that.name) && architecture.equals(that.architecture) && versionText.equals(that.versionText)
        && Arrays.equals(summary, that.summary) && release.equals(that.release);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, architecture, versionText, installedSizeKib);
  }

  @Override
  public String toString() {
    return name + " " + versionText + " " + architecture + " (" + release.suite() + ")";
  }
}
