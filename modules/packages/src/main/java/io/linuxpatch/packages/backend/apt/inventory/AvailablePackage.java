package io.linuxpatch.packages.backend.apt.inventory;

import io.linuxpatch.packages.backend.apt.version.DebianVersion;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One version of a package that apt could install, from one downloaded {@code Packages} index: a view of one row
 * of its index's {@link IndexColumns}, made when asked for. Nothing is held per package beyond the columns (a
 * stock host's lists offer 60,000 to 100,000 of them, issue 20); the version is parsed when compared.
 */
public final class AvailablePackage {

  private final IndexColumns columns;
  private final int row;

  AvailablePackage(IndexColumns columns, int row) {
    this.columns = columns;
    this.row = row;
  }

  public String name() {
    return columns.name(row);
  }

  /** {@code amd64}, {@code all}…; empty when the index says none. */
  public String architecture() {
    return columns.architecture(row);
  }

  /** The version, parsed on each call: comparisons are rare next to the number of packages held. */
  public DebianVersion version() {
    return DebianVersion.parse(versionText());
  }

  /** The version as the index writes it. */
  public String versionText() {
    return columns.version(row);
  }

  /** Installed-Size in bytes, empty when absent. */
  public OptionalLong installedSizeBytes() {
    int kib = columns.installedSizeKib(row);
    return kib < 0 ? OptionalLong.empty() : OptionalLong.of(kib * 1024L);
  }

  /** The first line of the description, empty when the index only carries its md5. */
  public String summary() {
    return columns.summary(row);
  }

  /** The repository suite it comes from. */
  public AptRelease release() {
    return columns.release();
  }

  /**
   * Whether this can upgrade or replace an installed package of {@code installedArchitecture}: the same
   * architecture, or {@code all} on either side (packages move between {@code all} and an architecture).
   */
  public boolean fits(String installedArchitecture) {
    String architecture = architecture();
    return architecture.equals(installedArchitecture) || architecture.equals("all")
        || installedArchitecture.equals("all") || installedArchitecture.isEmpty();
  }

  /** Whether both views show the same row of the same read of an index (not just equal content). */
  boolean sameRowAs(AvailablePackage other) {
    return columns == other.columns && row == other.row;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AvailablePackage that
        && columns.installedSizeKib(row) == that.columns.installedSizeKib(that.row)
        && name().equals(that.name()) && architecture().equals(that.architecture())
        && versionText().equals(that.versionText()) && summary().equals(that.summary())
        && release().equals(that.release());
  }

  @Override
  public int hashCode() {
    return Objects.hash(name(), architecture(), versionText());
  }

  @Override
  public String toString() {
    return name() + " " + versionText() + " " + architecture() + " (" + release().suite() + ")";
  }
}
