package io.linuxpatch.packages.backend.dnf.inventory;

import io.linuxpatch.packages.backend.dnf.version.RpmVersion;
import java.time.Instant;

/**
 * One package of the rpm database as {@link InstalledRpmQuery} reads it.
 *
 * @param epoch              {@code null} when the package has none (rpm compares it as 0)
 * @param arch               {@code null} for rpm's pseudo-packages without one ({@code gpg-pubkey})
 * @param installedSizeBytes rpm's {@code LONGSIZE}
 * @param summary            one line as a rule, but rpm allows any text
 * @param sourceRpm          e.g. {@code demo-ssl-1.1-1.src.rpm}, {@code null} when absent
 * @param url                {@code null} when absent
 */
public record InstalledRpm(String name, Integer epoch, String version, String release, String arch,
    long installedSizeBytes, String summary, Instant installTime, String sourceRpm, String url) {

  /** The package's EVR in rpm's order. */
  public RpmVersion evr() {
    return RpmVersion.of(epoch, version, release);
  }

  /** dnf's {@code name-[epoch:]version-release.arch}. */
  public Nevra nevra() {
    return new Nevra(name, evr(), arch == null ? "noarch" : arch);
  }
}
