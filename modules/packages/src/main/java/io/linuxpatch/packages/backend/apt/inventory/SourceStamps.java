package io.linuxpatch.packages.backend.apt.inventory;

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
 * What the files feeding an inventory look like on disk, without reading them: modification time, size
 * and inode (file key) of dpkg's status file and of each index and Release file in apt's lists
 * directory. Equal stamps mean the snapshot is still true. dpkg and apt replace these files by
 * renaming a new one over them, which changes the inode even when time and size happen to match.
 *
 * @param entries one stamp per file, status first, then the lists in name order
 */
record SourceStamps(List<String> entries) {

  SourceStamps {
    entries = List.copyOf(entries);
  }

  /**
   * Stats the files. Blocking: a stat per file.
   *
   * @throws IOException when the status file cannot be stat'ed (no dpkg database here)
   */
  static SourceStamps of(Path statusFile, Path listsDir) throws IOException {
    List<String> entries = new ArrayList<>();
    entries.add(stamp(statusFile, Files.readAttributes(statusFile, BasicFileAttributes.class)));
    List<Path> lists = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(listsDir, SourceStamps::feedsInventory)) {
      stream.forEach(lists::add);
    } catch (NoSuchFileException e) {
      entries.add("no lists directory");
    }
    lists.sort(null);
    for (Path file : lists) {
      try {
        entries.add(stamp(file, Files.readAttributes(file, BasicFileAttributes.class)));
      } catch (NoSuchFileException e) {
        entries.add(file.getFileName() + " vanished"); // apt update is replacing it: the next call sees the result
      }
    }
    return new SourceStamps(entries);
  }

  /** The files AptListsParser reads or reports; lock files, partial downloads and translations are not. */
  private static boolean feedsInventory(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith("Release") || name.contains("_Packages");
  }

  private static String stamp(Path file, BasicFileAttributes attributes) {
    return file.getFileName() + " " + attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS) + " "
        + attributes.size() + " " + attributes.fileKey();
  }
}
