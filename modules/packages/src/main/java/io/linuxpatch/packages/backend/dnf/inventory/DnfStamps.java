package io.linuxpatch.packages.backend.dnf.inventory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the files feeding a dnf inventory look like on disk, without reading them (modification time, size,
 * inode): equal stamps mean a cached listing is still true (DESIGN "caches keyed by the file that feeds them").
 *
 * <p>{@link #installed}: every file of rpm's database directory — {@code rpmdb.sqlite} and its {@code -wal}
 * on rpm 4.16+, {@code Packages} and the indexes on older Berkeley DB ones — except the files readers touch
 * too: SQLite's {@code -shm} index, rpm's {@code .rpm.lock} and Berkeley DB's {@code __db.*} regions.
 * {@link #available}: each repository's cached {@code repomd.xml} and the repository files — not dnf's
 * {@code *.solv}/{@code *.solvx} caches, which libsolv rewrites once more on the first read after a
 * {@code makecache} (found by experiment: +34 bytes on the sandbox, then stable), nor
 * {@code expired_repos.json}, which every dnf call rewrites.
 *
 * @param entries one stamp per file, in name order
 */
public record DnfStamps(List<String> entries) {

  public DnfStamps {
    entries = List.copyOf(entries);
  }

  /**
   * Stamps the rpm database of {@code root} ({@code root/var/lib/rpm}). Blocking: a stat per file.
   *
   * @throws IOException when the database directory cannot be listed (no rpm database here)
   */
  public static DnfStamps installed(Path root) throws IOException {
    List<String> entries = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(root.resolve("var/lib/rpm"), DnfStamps::feedsInstalled)) {
      stream.forEach(files::add);
    }
    files.sort(null);
    for (Path file : files) {
      entries.add(stamp(file));
    }
    return new DnfStamps(entries);
  }

  /**
   * Stamps what dnf's cache-only view of the repositories depends on: each repository's cached
   * {@code repomd.xml} in {@code root/var/cache/dnf} (replaced whenever a refresh fetched new metadata) and the
   * {@code .repo} files of {@code reposDirectory} (a repository added, removed or disabled). Blocking.
   */
  public static DnfStamps available(Path root, Path reposDirectory) throws IOException {
    Path cache = root.resolve("var/cache/dnf");
    List<String> entries = new ArrayList<>();
    List<Path> repomds = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(cache, Files::isDirectory)) {
      for (Path entry : stream) {
        Path repomd = entry.resolve("repodata/repomd.xml");
        if (Files.exists(repomd)) {
          repomds.add(repomd);
        }
      }
    } catch (NoSuchFileException e) {
      entries.add("no cache");
    }
    repomds.sort(null);
    for (Path repomd : repomds) {
      entries.add(cache.relativize(repomd) + " " + stamp(repomd));
    }
    List<Path> repoFiles = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(reposDirectory, "*.repo")) {
      stream.forEach(repoFiles::add);
    } catch (NoSuchFileException e) {
      entries.add("no " + reposDirectory);
    }
    repoFiles.sort(null);
    for (Path file : repoFiles) {
      entries.add(stamp(file));
    }
    return new DnfStamps(entries);
  }

  private static boolean feedsInstalled(Path file) {
    String name = file.getFileName().toString();
    return Files.isRegularFile(file) && !name.endsWith("-shm") && !name.equals(".rpm.lock") && !name.startsWith("__db.");
  }

  private static String stamp(Path file) throws IOException {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return file.getFileName() + " " + attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS) + " "
          + attributes.size() + " " + attributes.fileKey();
    } catch (NoSuchFileException e) {
      return file.getFileName() + " vanished"; // being replaced: the next call sees the result
    }
  }
}
