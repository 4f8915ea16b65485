package io.linuxpatch.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a package installed into a sandbox root must not touch on this machine: every entry under /etc, /var/lib,
 * /var/log and /run/systemd (systemd's enablement links, its state and dpkg's and rpm's databases and logs are among
 * them) with its type, mode, owner, size and modification time, and whether {@code ~/.rpmdb} exists (rpm creates it
 * when a command misses the sandbox's database).
 */
final class HostState {

  static final List<Path> WATCHED = List.of(Path.of("/etc"), Path.of("/var/lib"), Path.of("/var/log"),
      Path.of("/run/systemd"), Path.of(System.getProperty("user.home"), ".rpmdb"));

  private final Map<String, String> entries;

  private HostState(Map<String, String> entries) {
    this.entries = entries;
  }

  static HostState capture() throws IOException {
    Map<String, String> entries = new TreeMap<>();
    for (Path top : WATCHED) {
      if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
        entries.put(top.toString(), "absent");
        continue;
      }
      Files.walkFileTree(top, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          record(dir);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          record(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          // Gone while listed: it is not there now, which the comparison will show if it matters.
          return FileVisitResult.CONTINUE;
        }

        private void record(Path path) {
          try {
            PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String type = a.isDirectory() ? "d" : a.isSymbolicLink() ? "l" : a.isRegularFile() ? "f" : "o";
            // A directory's size and time change with its entries, which are listed themselves.
            String detail = a.isDirectory() ? "" : " " + a.size() + " " + a.lastModifiedTime().toMillis();
            entries.put(path.toString(), type + " " + PosixFilePermissions.toString(a.permissions()) + " "
                + a.owner().getName() + ":" + a.group().getName() + detail);
          } catch (NoSuchFileException gone) {
            // listed a moment ago, gone now
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      });
    }
    return new HostState(entries);
  }

  /** Every entry added, removed or changed since {@code this}, one line each; empty when nothing changed. */
  List<String> changesUntil(HostState later) {
    List<String> changes = new ArrayList<>();
    TreeSet<String> paths = new TreeSet<>(entries.keySet());
    paths.addAll(later.entries.keySet());
    for (String path : paths) {
      String before = entries.get(path);
      String after = later.entries.get(path);
      if (!Objects.equals(before, after)) {
        changes.add(path + ": " + before + " -> " + after);
      }
    }
    return changes;
  }
}
