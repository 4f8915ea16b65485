package io.linuxpatch.packages.backend.pacman.inventory;

import io.linuxpatch.packages.backend.pacman.version.PacmanVersion;
import io.linuxpatch.packages.listing.ListedPackage;
import io.vertx.core.json.JsonObject;

/**
 * One name of a pacman host as endpoint 2 lists it: the installed package (local database) and the candidate
 * pacman would install for that name (the first sync repository, in pacman.conf's order, that has it), either
 * possibly absent. pacman keeps no configuration-files-only state: a removed package is gone.
 *
 * @param installed the installed package, or null
 * @param candidate the sync repositories' package of that name, or null
 */
public record PacmanRow(PacmanPackage installed, PacmanPackage candidate) implements ListedPackage {

  /** The status word of an installed package, as dpkg's {@code ii} is called in the API. */
  public static final String INSTALLED = "installed";
  /** The status word of a package only a repository has. */
  public static final String AVAILABLE = "available";

  public PacmanRow {
    if (installed == null && candidate == null) {
      throw new IllegalArgumentException("a row needs an installed or an available package");
    }
  }

  @Override
  public String name() {
    return installed != null ? installed.name() : candidate.name();
  }

  @Override
  public String architecture() {
    return installed != null ? installed.architecture() : candidate.architecture();
  }

  @Override
  public boolean isInstalled() {
    return installed != null;
  }

  @Override
  public boolean isConfigFilesOnly() {
    return false;
  }

  @Override
  public boolean isAvailable() {
    return installed == null;
  }

  /** Installed, and the candidate is newer by pacman's order (a held package too: holds decide what is applied). */
  @Override
  public boolean isUpgradable() {
    return installed != null && candidate != null
        && PacmanVersion.compare(candidate.version(), installed.version()) > 0;
  }

  @Override
  public long sizeBytes() {
    PacmanPackage shown = installed != null ? installed : candidate;
    return shown.installedSizeBytes().orElse(-1);
  }

  /** The installed version, else the candidate's: the key of a version sort. */
  public PacmanVersion sortVersion() {
    return PacmanVersion.parse(installed != null ? installed.version() : candidate.version());
  }

  /** The status word: {@code installed} or {@code available}. */
  public String status() {
    return installed != null ? INSTALLED : AVAILABLE;
  }

  @Override
  public JsonObject toJson() {
    long size = sizeBytes();
    PacmanPackage shown = installed != null ? installed : candidate;
    return new JsonObject()
        .put("name", name())
        .put("version", installed == null ? null : installed.version())
        .put("architecture", architecture())
        .put("status", status())
        .put("size_bytes", size < 0 ? null : size)
        .put("description", shown.description())
        .put("upgradable", isUpgradable())
        .put("available_version", candidate == null ? null : candidate.version())
        .put("source", candidate == null ? null : candidate.database());
  }
}
