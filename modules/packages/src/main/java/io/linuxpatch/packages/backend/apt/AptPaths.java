package io.linuxpatch.packages.backend.apt;

import io.linuxpatch.contract.config.PackageManagerConfig;
import java.nio.file.Path;

/**
 * Where apt and dpkg keep their state under a package root ({@code package_manager.root}, {@code /} on a host, a
 * sandbox's directory in tests and developer mode): the one place these paths are spelled.
 *
 * @param root the package root
 */
public record AptPaths(Path root) {

  /** The paths under {@code package_manager.root}. */
  public static AptPaths of(PackageManagerConfig config) {
    return new AptPaths(Path.of(config.root()));
  }

  /** dpkg's administrative directory, {@code var/lib/dpkg} ({@code --admindir}). */
  public Path adminDir() {
    return root.resolve("var/lib/dpkg");
  }

  /** dpkg's status file: the installed-package database. */
  public Path statusFile() {
    return adminDir().resolve("status");
  }

  /** apt's downloaded indices, {@code var/lib/apt/lists}. */
  public Path listsDir() {
    return root.resolve("var/lib/apt/lists");
  }

  /** apt's cache of downloaded packages, {@code var/cache/apt/archives}. */
  public Path archivesDir() {
    return root.resolve("var/cache/apt/archives");
  }
}
