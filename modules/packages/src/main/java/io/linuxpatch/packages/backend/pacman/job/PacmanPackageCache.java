package io.linuxpatch.packages.backend.pacman.job;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * pacman's package cache ({@code CacheDir}, possibly several): where the files of installed and upgraded-away
 * versions stay, and so where an Arch host gets an old version back (a repository keeps one version per name).
 * A file is {@code NAME-VERSION-ARCH.pkg.tar.EXT} ({@code zst}, {@code xz}, {@code gz} …; a {@code .sig} beside it
 * is its signature); the directory is listed rather than a name built, because the architecture is not in a job's
 * record.
 */
public final class PacmanPackageCache {

  private final List<Path> directories;

  public PacmanPackageCache(List<Path> directories) {
    this.directories = List.copyOf(directories);
  }

  /** The cached file of exactly {@code name} at {@code version} (both validated), first cache directory first. */
  public Optional<Path> find(String name, String version) throws IOException {
    String prefix = name + "-" + version + "-";
    for (Path directory : directories) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, prefix + "*.pkg.tar*")) {
        for (Path file : files) {
          String rest = file.getFileName().toString().substring(prefix.length());
          int dot = rest.indexOf(".pkg.tar");
          // the architecture has no '-' (so "demo-1.0-1-" never matches "demo-1.0-1-x-…"), and no signatures
          if (dot > 0 && rest.substring(0, dot).indexOf('-') < 0 && !rest.endsWith(".sig")
              && Files.isRegularFile(file) && Files.isReadable(file)) {
            return Optional.of(file.toAbsolutePath());
          }
        }
      } catch (NoSuchFileException e) {
        // a CacheDir that does not exist holds nothing
      }
    }
    return Optional.empty();
  }
}
