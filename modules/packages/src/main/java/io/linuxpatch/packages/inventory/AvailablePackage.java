package io.linuxpatch.packages.inventory;

import io.linuxpatch.packages.version.DebianVersion;
import java.util.OptionalLong;

/**
 * One version of a package that apt could install, from one downloaded {@code Packages} index.
 *
 * @param name               the package name
 * @param architecture       {@code amd64}, {@code all}…
 * @param version            the version offered
 * @param installedSizeBytes Installed-Size in bytes, empty when absent
 * @param summary            the first line of the description, empty when the index only carries its md5
 * @param release            the repository suite it comes from
 */
public record AvailablePackage(
    String name, String architecture, DebianVersion version, OptionalLong installedSizeBytes, String summary,
    AptRelease release) {

  /**
   * Whether this can upgrade or replace an installed package of {@code installedArchitecture}: the same
   * architecture, or {@code all} on either side (packages move between {@code all} and an architecture).
   */
  public boolean fits(String installedArchitecture) {
    return architecture.equals(installedArchitecture) || architecture.equals("all")
        || installedArchitecture.equals("all") || installedArchitecture.isEmpty();
  }
}
