package io.linuxpatch.packages.backend.apt.inventory;

import io.linuxpatch.packages.backend.apt.version.DebianVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernels dpkg has installed (PKG-4: "the running kernel compared with the newest installed kernel"),
 * read from the inventory's {@code linux-image-<release>} packages. The release is what {@code uname -r}
 * prints once that kernel boots, so SystemVerticle can compare it with the running kernel as text.
 *
 * @param releases kernel releases, oldest first (the order of {@link #NEWEST_LAST})
 * @param newest   the newest release, empty when no kernel package is installed (a container, say)
 */
public record InstalledKernels(List<String> releases, Optional<String> newest) {

  private static final String PREFIX = "linux-image-";
  /** Ubuntu names the unsigned build of a kernel {@code linux-image-unsigned-<release>}. */
  private static final String UNSIGNED_PREFIX = PREFIX + "unsigned-";
  /** Debian names the unsigned build of a signed kernel {@code linux-image-<release>-unsigned}. */
  private static final String UNSIGNED_SUFFIX = "-unsigned";

  /**
   * Package version first: a kernel package rebuilt under the same release (an ABI-compatible security fix)
   * is newer only by its version. Releases break ties in dpkg's order, so that {@code 6.1.0-18} follows
   * {@code 6.1.0-9}, and as plain text when a release is no valid version.
   */
  private static final Comparator<Kernel> NEWEST_LAST = Comparator
      .comparing(Kernel::version)
      .thenComparing(Kernel::release, InstalledKernels::compareReleases);

  public InstalledKernels {
    releases = List.copyOf(releases);
  }

  /** A kernel package: its release and the version dpkg installed. */
  private record Kernel(String release, DebianVersion version) {}

  /** Selects the installed ({@code ii}/{@code hi}) kernel image packages of {@code inventory}. */
  public static InstalledKernels of(Inventory inventory) {
    return of(inventory.packages());
  }

  static InstalledKernels of(List<DpkgPackage> packages) {
    // One entry per release: the same kernel can be installed as signed and unsigned build, or for two
    // architectures; the newest package version speaks for it.
    Map<String, Kernel> byRelease = new LinkedHashMap<>();
    for (DpkgPackage dpkg : packages) {
      if (!dpkg.state().isInstalled() || dpkg.version().isEmpty()) {
        continue;
      }
      Optional<String> release = release(dpkg.name());
      if (release.isEmpty()) {
        continue;
      }
      Kernel kernel = new Kernel(release.get(), dpkg.version().get());
      byRelease.merge(kernel.release(), kernel, (a, b) -> NEWEST_LAST.compare(a, b) >= 0 ? a : b);
    }
    List<Kernel> sorted = new ArrayList<>(byRelease.values());
    sorted.sort(NEWEST_LAST);
    List<String> releases = sorted.stream().map(Kernel::release).toList();
    return new InstalledKernels(releases,
        releases.isEmpty() ? Optional.empty() : Optional.of(releases.get(releases.size() - 1)));
  }

  /**
   * The kernel release a package installs, or empty for packages that install none: meta packages
   * ({@code linux-image-amd64}, {@code linux-image-generic}) whose "release" does not start with a digit,
   * and debug symbols ({@code -dbg}, {@code -dbgsym}) that ship no bootable image.
   */
  static Optional<String> release(String packageName) {
    String release;
    if (packageName.startsWith(UNSIGNED_PREFIX)) {
      release = packageName.substring(UNSIGNED_PREFIX.length());
    } else if (packageName.startsWith(PREFIX)) {
      release = packageName.substring(PREFIX.length());
    } else {
      return Optional.empty();
    }
    if (release.endsWith("-dbg") || release.endsWith("-dbgsym")) {
      return Optional.empty();
    }
    if (release.endsWith(UNSIGNED_SUFFIX)) {
      release = release.substring(0, release.length() - UNSIGNED_SUFFIX.length());
    }
    if (release.isEmpty() || !Character.isDigit(release.charAt(0))) {
      return Optional.empty();
    }
    return Optional.of(release);
  }

  private static int compareReleases(String a, String b) {
    Optional<DebianVersion> va = DebianVersion.tryParse(a);
    Optional<DebianVersion> vb = DebianVersion.tryParse(b);
    if (va.isPresent() && vb.isPresent()) {
      int byVersion = va.get().compareTo(vb.get());
      if (byVersion != 0) {
        return byVersion;
      }
    }
    return a.compareTo(b);
  }

  /** The reply of {@code lpa.packages.kernels}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("installed_kernels", new JsonArray(releases))
        .put("newest", newest.orElse(null));
  }
}
