package io.linuxpatch.packages.backend.apt.inventory;

import io.linuxpatch.packages.backend.apt.version.DebianVersion;
import io.linuxpatch.packages.listing.ListedPackage;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * One package as a listing shows it: a stanza of dpkg's status file, or a package only apt's lists
 * know, together with the newest version the lists offer for it. Built once per inventory snapshot, one per
 * available package (100,000 on a large host), so it holds two plain references rather than two Optionals.
 */
public final class PackageRow implements ListedPackage {

  /** The status shown for a package that only the lists know. */
  public static final String AVAILABLE = "available";

  private final DpkgPackage dpkg;
  private final AvailablePackage newest;

  /**
   * @param dpkg   what dpkg records, null for a package only the lists know
   * @param newest the newest version in the lists fitting its architecture, null when none
   */
  PackageRow(DpkgPackage dpkg, AvailablePackage newest) {
    if (dpkg == null && newest == null) {
      throw new IllegalArgumentException("a row needs a dpkg record or an available version");
    }
    this.dpkg = dpkg;
    this.newest = newest;
  }

  /** What dpkg records, empty for a package only the lists know. */
  public Optional<DpkgPackage> dpkg() {
    return Optional.ofNullable(dpkg);
  }

  /** The newest version in the lists fitting its architecture, empty when none. */
  public Optional<AvailablePackage> newest() {
    return Optional.ofNullable(newest);
  }

  @Override
  public String name() {
    return dpkg != null ? dpkg.name() : newest.name();
  }

  @Override
  public String architecture() {
    return dpkg != null ? dpkg.architecture() : newest.architecture();
  }

  /** dpkg's state word ({@code installed}, {@code config-files}…) or {@link #AVAILABLE}. */
  public String status() {
    return dpkg != null ? dpkg.state().current().word() : AVAILABLE;
  }

  /** Whether dpkg has the package on disk (possibly half-configured). */
  boolean isPresent() {
    return dpkg != null && dpkg.state().isPresent();
  }

  /** dpkg {@code ii}/{@code hi}. */
  @Override
  public boolean isInstalled() {
    return dpkg != null && dpkg.state().isInstalled();
  }

  /** dpkg {@code rc}. */
  @Override
  public boolean isConfigFilesOnly() {
    return dpkg != null && dpkg.state().isConfigFilesOnly();
  }

  /** Not on disk but installable: only in the lists, or removed / never unpacked with a version in the lists. */
  @Override
  public boolean isAvailable() {
    return newest != null && (dpkg == null || !dpkg.state().isPresent());
  }

  /** On disk, and the lists offer a higher version. */
  @Override
  public boolean isUpgradable() {
    if (dpkg == null || newest == null || !dpkg.state().isPresent()) {
      return false;
    }
    Optional<DebianVersion> installed = dpkg.version();
    return installed.isPresent() && newest.version().isNewerThan(installed.get());
  }

  /** The version dpkg records, else the available one; null for a bare selection. Used to sort. */
  public DebianVersion sortVersion() {
    if (dpkg != null) {
      return dpkg.version().orElse(null);
    }
    return newest.version();
  }

  /** Installed size in bytes (dpkg's, else the index's), -1 when unknown. Used to sort. */
  @Override
  public long sizeBytes() {
    if (dpkg != null) {
      return dpkg.installedSizeBytes().orElse(-1);
    }
    return newest.installedSizeBytes().orElse(-1);
  }

  /** The suite the newest version comes from ({@code source} in the API), null when none is known. */
  public String suite() {
    if (newest == null) {
      return null;
    }
    AptRelease release = newest.release();
    return !release.suite().isEmpty() ? release.suite() : release.codename().isEmpty() ? null : release.codename();
  }

  /** The listing object of SPEC endpoint 2. */
  @Override
  public JsonObject toJson() {
    long size = sizeBytes();
    String version = dpkg != null ? dpkg.versionText() : "";
    String summary = dpkg != null ? dpkg.summary() : newest.summary();
    return new JsonObject()
        .put("name", name())
        .put("version", version.isEmpty() ? null : version)
        .put("architecture", architecture())
        .put("status", status())
        .put("size_bytes", size < 0 ? null : size)
        .put("description", summary)
        .put("upgradable", isUpgradable())
        .put("available_version", newest == null ? null : newest.version().toString())
        .put("source", suite());
  }
}
