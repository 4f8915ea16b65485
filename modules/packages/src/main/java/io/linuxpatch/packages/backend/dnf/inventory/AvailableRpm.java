package io.linuxpatch.packages.backend.dnf.inventory;

import io.linuxpatch.packages.backend.dnf.version.RpmVersion;

/**
 * One package version a repository offers, as {@link AvailableRpmQuery} reads it from dnf's metadata.
 *
 * @param epoch              0 when the package has none (dnf prints it so)
 * @param repository         the repository id, e.g. {@code demo}
 * @param installedSizeBytes what it takes once installed
 * @param downloadSizeBytes  the size of the {@code .rpm}
 * @param sourceRpm          {@code null} when the metadata has none
 * @param url                {@code null} when the metadata has none
 */
public record AvailableRpm(String name, int epoch, String version, String release, String arch, String repository,
    long installedSizeBytes, long downloadSizeBytes, String sourceRpm, String url, String summary) {

  /** The EVR in rpm's order (an epoch of 0 is written as none, as dnf prints it). */
  public RpmVersion evr() {
    return RpmVersion.of(epoch == 0 ? null : epoch, version, release);
  }

  public Nevra nevra() {
    return new Nevra(name, evr(), arch);
  }
}
