package io.linuxpatch.packages.backend.dnf.inventory;

import io.linuxpatch.packages.backend.dnf.version.RpmVersion;
import io.linuxpatch.packages.listing.ListedPackage;
import io.vertx.core.json.JsonObject;

/**
 * One row of a dnf listing (endpoint 2): an installed package with the newest version the repositories offer for
 * it, or a package only the repositories offer (then a view of one catalogue row, made while a listing walks it).
 */
public final class RpmRow implements ListedPackage {

  /** The status of a package only the repositories offer. */
  public static final String AVAILABLE = "available";
  /** The status of a package in the rpm database. */
  public static final String INSTALLED = "installed";

  private final InstalledRpm installed;
  private final AvailableCatalogue catalogue;
  /** The newest offered version (for an installed package: of its architecture), -1 when none. */
  private final int newest;

  RpmRow(InstalledRpm installed, AvailableCatalogue catalogue, int newest) {
    if (installed == null && newest < 0) {
      throw new IllegalArgumentException("a row needs an installed package or an offered version");
    }
    this.installed = installed;
    this.catalogue = catalogue;
    this.newest = newest;
  }

  /** The rpm database's record, null for a package only the repositories offer. */
  public InstalledRpm installed() {
    return installed;
  }

  /** The newest offered version's EVR in dnf's form, null when no repository offers one. */
  public String availableVersion() {
    return newest < 0 ? null : catalogue.evr(newest);
  }

  /** The repository of the newest offered version, null when none. */
  public String repository() {
    return newest < 0 ? null : catalogue.repository(newest);
  }

  @Override
  public String name() {
    return installed != null ? installed.name() : catalogue.name(newest);
  }

  @Override
  public String architecture() {
    return installed != null ? installed.nevra().arch() : catalogue.arch(newest);
  }

  /** The installed EVR in dnf's form, null for a package only the repositories offer. */
  public String version() {
    return installed == null ? null : installed.evr().dnfForm();
  }

  @Override
  public boolean isInstalled() {
    return installed != null;
  }

  @Override
  public boolean isConfigFilesOnly() {
    return false; // rpm removes a package's record with it: there is no config-files state
  }

  @Override
  public boolean isAvailable() {
    return installed == null;
  }

  @Override
  public boolean isUpgradable() {
    return installed != null && newest >= 0 && RpmVersion.parse(catalogue.evr(newest)).isNewerThan(installed.evr());
  }

  @Override
  public long sizeBytes() {
    return installed != null ? installed.installedSizeBytes() : catalogue.installedSizeBytes(newest);
  }

  /** The version a version sort orders by: the installed one, else the offered one. */
  public RpmVersion sortVersion() {
    return installed != null ? installed.evr() : RpmVersion.parse(catalogue.evr(newest));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name())
        .put("version", version())
        .put("architecture", architecture())
        .put("status", installed != null ? INSTALLED : AVAILABLE)
        .put("size_bytes", sizeBytes() < 0 ? null : sizeBytes())
        .put("description", installed != null ? installed.summary() : catalogue.summary(newest))
        .put("upgradable", isUpgradable())
        .put("available_version", availableVersion())
        .put("source", repository());
  }
}
