package io.linuxpatch.packages.backend.dnf.inventory;

import io.linuxpatch.packages.backend.dnf.version.RpmVersion;
import java.util.Optional;

/**
 * A package's {@code name-[epoch:]version-release.arch} as dnf prints it (updateinfo lists, "replacing"
 * lines, versionlock entries): split from the right, because names contain {@code -} and releases {@code .}.
 *
 * @param name    the package name
 * @param version its EVR
 * @param arch    e.g. {@code noarch}, {@code x86_64}
 */
public record Nevra(String name, RpmVersion version, String arch) {

  /** Splits {@code text}; empty when it lacks a name, version, release or architecture. */
  public static Optional<Nevra> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    int dot = text.lastIndexOf('.');
    if (dot <= 0 || dot == text.length() - 1) {
      return Optional.empty();
    }
    String nevr = text.substring(0, dot);
    int releaseDash = nevr.lastIndexOf('-');
    int versionDash = releaseDash <= 0 ? -1 : nevr.lastIndexOf('-', releaseDash - 1);
    if (versionDash <= 0 || releaseDash == nevr.length() - 1 || versionDash + 1 == releaseDash) {
      return Optional.empty();
    }
    return RpmVersion.tryParse(nevr.substring(versionDash + 1))
        .map(evr -> new Nevra(nevr.substring(0, versionDash), evr, text.substring(dot + 1)));
  }

  /** {@code name.arch}, as check-update and the transaction table's "replacing" lines name a package. */
  public String nameArch() {
    return name + "." + arch;
  }

  /** dnf's form: {@code name-[epoch:]version-release.arch}, the epoch only when it is not 0. */
  @Override
  public String toString() {
    return name + "-" + version.dnfForm() + "." + arch;
  }
}
