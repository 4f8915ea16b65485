package io.linuxpatch.packages.backend.apt.inventory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * dpkg's per-package file lists in {@code <admindir>/info}: {@code <name>:<arch>.list} for Multi-Arch:
 * same packages, {@code <name>.list} for the others. dpkg rewrites a package's list when it unpacks it,
 * so the list's modification time is when the installed version arrived.
 */
final class InstalledFiles {

  private final Path infoDir;

  InstalledFiles(Path infoDir) {
    this.infoDir = infoDir;
  }

  /** The list file of a package, if dpkg has one. */
  private Optional<Path> listFile(DpkgPackage dpkg) {
    if (!dpkg.architecture().isEmpty()) {
      Path qualified = infoDir.resolve(dpkg.name() + ":" + dpkg.architecture() + ".list");
      if (Files.isRegularFile(qualified)) {
        return Optional.of(qualified);
      }
    }
    Path plain = infoDir.resolve(dpkg.name() + ".list");
    return Files.isRegularFile(plain) ? Optional.of(plain) : Optional.empty();
  }

  /** When the installed version was unpacked, empty when dpkg keeps no file list for it. */
  Optional<Instant> installedAt(DpkgPackage dpkg) throws IOException {
    Optional<Path> list = listFile(dpkg);
    if (list.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.getLastModifiedTime(list.get()).toInstant());
    } catch (NoSuchFileException e) {
      return Optional.empty(); // removed between the check and the stat: dpkg is working on it
    }
  }

  /** The paths dpkg installed for the package ({@code dpkg -L}), empty when it keeps no list. */
  List<String> files(DpkgPackage dpkg) throws IOException {
    Optional<Path> list = listFile(dpkg);
    if (list.isEmpty()) {
      return List.of();
    }
    List<String> lines;
    try {
      // dpkg stores file names as bytes: a name that is not UTF-8 is shown with replacement characters
      // instead of failing the whole answer.
      lines = new String(Files.readAllBytes(list.get()), StandardCharsets.UTF_8).lines().toList();
    } catch (NoSuchFileException e) {
      return List.of();
    }
    List<String> files = new ArrayList<>(lines.size());
    for (String line : lines) {
      if (!line.isEmpty()) {
        files.add(line);
      }
    }
    return files;
  }
}
