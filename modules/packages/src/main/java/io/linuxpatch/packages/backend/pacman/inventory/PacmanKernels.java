package io.linuxpatch.packages.backend.pacman.inventory;

import io.linuxpatch.packages.backend.pacman.version.PacmanVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The kernels pacman has installed (PKG-4), found as Arch's own tools find them (mkinitcpio's presets, the
 * {@code 60-mkinitcpio-remove} hook): every Arch kernel package — {@code linux}, {@code linux-lts}, {@code linux-zen},
 * Manjaro's {@code linux61} … — ships {@code /usr/lib/modules/RELEASE/vmlinuz} and {@code …/pkgbase} naming the
 * package. {@code RELEASE} is what {@code uname -r} prints once that kernel runs ({@code 6.6.8-arch1-1} for
 * {@code linux 6.6.8.arch1-1}), so SystemVerticle compares it with the running kernel as text. A modules directory
 * whose pkgbase names no installed package (left behind by a removed kernel's extra modules) is not a kernel.
 *
 * @param releases kernel releases, oldest first (by the owning package's version, then the release text)
 * @param newest   the newest release, empty when none is installed (a container)
 */
public record PacmanKernels(List<String> releases, Optional<String> newest) {

  public PacmanKernels {
    releases = List.copyOf(releases);
  }

  /** A kernel: its release and the version of the package that installed it. */
  private record Kernel(String release, PacmanVersion version) {
  }

  private static final Comparator<Kernel> NEWEST_LAST = Comparator.comparing(Kernel::version)
      .thenComparing(Kernel::release);

  /** The kernels under {@code rootDir/usr/lib/modules} that an installed package of {@code inventory} owns. */
  public static PacmanKernels of(Path rootDir, PacmanInventory inventory) throws IOException {
    List<Kernel> kernels = new ArrayList<>();
    Path modules = rootDir.resolve("usr/lib/modules");
    try (DirectoryStream<Path> releases = Files.newDirectoryStream(modules)) {
      for (Path release : releases) {
        Path pkgbase = release.resolve("pkgbase");
        if (!Files.isRegularFile(release.resolve("vmlinuz")) || !Files.isRegularFile(pkgbase)) {
          continue;
        }
        String owner = Files.readString(pkgbase, StandardCharsets.UTF_8).strip();
        Optional<PacmanPackage> installed = inventory.installed(owner);
        if (installed.isEmpty()) {
          // pkgbase names the package base; a split package's kernel is its pkgname in practice, but look once more
          installed = inventory.local().packages().stream().filter(p -> p.base().equals(owner)).findFirst();
        }
        installed.ifPresent(p -> kernels.add(new Kernel(release.getFileName().toString(), p.pacmanVersion())));
      }
    } catch (NoSuchFileException e) {
      return new PacmanKernels(List.of(), Optional.empty());
    }
    kernels.sort(NEWEST_LAST);
    List<String> names = kernels.stream().map(Kernel::release).toList();
    return new PacmanKernels(names, names.isEmpty() ? Optional.empty() : Optional.of(names.get(names.size() - 1)));
  }

  /** The reply of {@code lpa.packages.kernels}, in the shape every backend answers. */
  public JsonObject toJson() {
    return new JsonObject().put("installed_kernels", new JsonArray(releases)).put("newest", newest.orElse(null));
  }
}
