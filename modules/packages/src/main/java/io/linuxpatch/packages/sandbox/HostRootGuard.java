package io.linuxpatch.packages.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses a sandbox root that is, or resolves to, the host's own root: tests and the developer mode must
 * never point apt or dpkg at the machine they run on (PKG-5, OPS-3 "the test base refuses a / package root").
 */
public final class HostRootGuard {

  private static final Path HOST_ROOT = Path.of("/");
  private static final Path HOST_DPKG_DATABASE = Path.of("/var/lib/dpkg");

  private HostRootGuard() {
  }

  /**
   * Returns {@code candidate} as an absolute, normalised path when it is safe to use as a sandbox root.
   *
   * @throws IllegalArgumentException when it is {@code /}, reaches {@code /} through {@code ..} or symbolic
   *                                  links, is the host root under another name (a bind mount), or its
   *                                  {@code var/lib/dpkg} is the host's package database
   */
  public static Path requireSandboxRoot(Path candidate) {
    if (candidate == null) {
      throw new IllegalArgumentException("a sandbox root is required");
    }
    Path absolute = candidate.toAbsolutePath().normalize();
    try {
      if (resolved(absolute).getParent() == null) {
        throw refused(candidate, "it resolves to the host root /");
      }
      // Same device and inode as "/" or as the host's dpkg directory: a bind mount or a symlinked database.
      if (Files.exists(absolute) && Files.isSameFile(absolute, HOST_ROOT)) {
        throw refused(candidate, "it is the host root / under another name");
      }
      Path database = absolute.resolve("var/lib/dpkg");
      if (Files.exists(database) && Files.exists(HOST_DPKG_DATABASE)
          && Files.isSameFile(database, HOST_DPKG_DATABASE)) {
        throw refused(candidate, "its var/lib/dpkg is the host's package database");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check whether " + absolute + " is the host root", e);
    }
    return absolute;
  }

  /** The real path of the nearest existing ancestor, with the not-yet-existing rest appended. */
  private static Path resolved(Path absolute) throws IOException {
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return absolute;
    }
    return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
  }

  private static IllegalArgumentException refused(Path candidate, String why) {
    return new IllegalArgumentException("refusing \"" + candidate + "\" as a sandbox package root: " + why
        + "; real apt/dpkg runs in tests and developer mode must never touch the host's packages");
  }
}
