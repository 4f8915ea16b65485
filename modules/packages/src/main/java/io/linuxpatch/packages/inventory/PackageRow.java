package io.linuxpatch.packages.inventory;

import io.linuxpatch.packages.version.DebianVersion;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * One package as a listing shows it: a stanza of dpkg's status file, or a package only apt's lists
 * know, together with the newest version the lists offer for it. Built once per inventory snapshot.
 *
 * @param dpkg   what dpkg records, empty for a package only the lists know
 * @param newest the newest version in the lists fitting its architecture, empty when none
 */
public record PackageRow(Optional<DpkgPackage> dpkg, Optional<AvailablePackage> newest) {

  /** The status shown for a package that only the lists know. */
  public static final String AVAILABLE = "available";

  public PackageRow {
    if (dpkg.isEmpty() && newest.isEmpty()) {
      throw new IllegalArgumentException("a row needs a dpkg record or an available version");
    }
  }

  public String name() {
    return dpkg.isPresent() ? dpkg.get().name() : newest.get().name();
  }

  public String architecture() {
    return dpkg.isPresent() ? dpkg.get().architecture() : newest.get().architecture();
  }

  /** dpkg's state word ({@code installed}, {@code config-files}…) or {@link #AVAILABLE}. */
  public String status() {
    return dpkg.isPresent() ? dpkg.get().state().current().word() : AVAILABLE;
  }

  /** dpkg {@code ii}/{@code hi}. */
  public boolean isInstalled() {
    return dpkg.isPresent() && dpkg.get().state().isInstalled();
  }

  /** dpkg {@code rc}. */
  public boolean isConfigFilesOnly() {
    return dpkg.isPresent() && dpkg.get().state().isConfigFilesOnly();
  }

  /** Not on disk but installable: only in the lists, or removed / never unpacked with a version in the lists. */
  public boolean isAvailable() {
    return newest.isPresent() && (dpkg.isEmpty() || !dpkg.get().state().isPresent());
  }

  /** On disk, and the lists offer a higher version. */
  public boolean isUpgradable() {
    if (dpkg.isEmpty() || newest.isEmpty() || !dpkg.get().state().isPresent()) {
      return false;
    }
    Optional<DebianVersion> installed = dpkg.get().version();
    return installed.isPresent() && newest.get().version().isNewerThan(installed.get());
  }

  /** The version dpkg records, else the available one; null for a bare selection. Used to sort. */
  public DebianVersion sortVersion() {
    if (dpkg.isPresent()) {
      return dpkg.get().version().orElse(null);
    }
    return newest.get().version();
  }

  /** Installed size in bytes (dpkg's, else the index's), -1 when unknown. Used to sort. */
  public long sizeBytes() {
    if (dpkg.isPresent()) {
      return dpkg.get().installedSizeBytes().orElse(-1);
    }
    return newest.get().installedSizeBytes().orElse(-1);
  }

  /** The suite the newest version comes from ({@code source} in the API), null when none is known. */
  public String suite() {
    if (newest.isEmpty()) {
      return null;
    }
    AptRelease release = newest.get().release();
    return !release.suite().isEmpty() ? release.suite() : release.codename().isEmpty() ? null : release.codename();
  }

  /** The listing object of SPEC endpoint 2. */
  public JsonObject toJson() {
    long size = sizeBytes();
    String version = dpkg.isPresent() ? dpkg.get().versionText() : "";
    String summary = dpkg.isPresent() ? dpkg.get().summary() : newest.get().summary();
    return new JsonObject()
        .put("name", name())
        .put("version", version.isEmpty() ? null : version)
        .put("architecture", architecture())
        .put("status", status())
        .put("size_bytes", size < 0 ? null : size)
        .put("description", summary)
        .put("upgradable", isUpgradable())
        .put("available_version", newest.map(available -> available.version().toString()).orElse(null))
        .put("source", suite());
  }
}
