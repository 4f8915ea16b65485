package io.linuxpatch.packages.backend.apt.inventory;

/**
 * Where an apt index came from, as its {@code Release} / {@code InRelease} file says; the suite is what
 * tells a security update ({@code bookworm-security}) from a regular one.
 *
 * @param origin   Origin, e.g. {@code Debian}
 * @param label    Label, e.g. {@code Debian-Security}
 * @param suite    Suite (archive), e.g. {@code stable-security}
 * @param codename Codename, e.g. {@code bookworm-security}
 * @param file     the Release or InRelease file name in the lists directory, empty when none was found
 */
public record AptRelease(String origin, String label, String suite, String codename, String file) {

  /** For an index whose Release file is missing (a hand-made or flat repository without one). */
  public static final AptRelease UNKNOWN = new AptRelease("", "", "", "", "");
}
