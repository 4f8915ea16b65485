package io.linuxpatch.packages.listing;

import io.vertx.core.json.JsonObject;

/**
 * One row of a package listing (endpoint 2) as every backend's inventory gives it: what the shared filters,
 * sorts and paging of {@link PackageListing} need, and the row's JSON.
 */
public interface ListedPackage {

  String name();

  String architecture();

  /** Installed (dpkg {@code ii}/{@code hi}; rpm and pacman: in the database). */
  boolean isInstalled();

  /** Only configuration files left (dpkg {@code rc}); false for managers without that state. */
  boolean isConfigFilesOnly();

  /** Not installed but installable from a repository. */
  boolean isAvailable();

  /** Installed, and a repository offers a higher version. */
  boolean isUpgradable();

  /** Installed size in bytes, -1 when unknown. */
  long sizeBytes();

  /** The listing object of endpoint 2. */
  JsonObject toJson();
}
