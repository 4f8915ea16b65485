package io.linuxpatch.packages.backend.dnf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A fingerprint of this machine's own rpm and dnf state — every file under {@code /var/lib/rpm},
 * {@code /var/lib/dnf}, {@code /var/cache/dnf}, {@code /etc/dnf} and {@code ~/.rpmdb} (content, size, mtime),
 * dnf's logs in {@code /var/log}, and any {@code /var/tmp/dnf-*} directory — so that a test can prove its
 * sandbox runs of dnf, rpm and rpmbuild left the host alone.
 *
 * <p>SQLite's {@code -shm} index of {@code ~/.rpmdb} is left out: any reader (another engineer's rpm on this
 * shared machine included) rewrites it without changing the database.
 *
 * @param files path → "sha256 size mtime", "directory" or "absent"
 */
public record HostRpmState(Map<String, String> files) {

  private static final List<Path> TREES = List.of(Path.of("/var/lib/rpm"), Path.of("/var/lib/dnf"),
      Path.of("/var/cache/dnf"), Path.of("/etc/dnf"), Path.of(System.getProperty("user.home"), ".rpmdb"));

  private static final List<Path> LOGS = List.of(Path.of("/var/log/dnf.log"), Path.of("/var/log/dnf.rpm.log"),
      Path.of("/var/log/dnf.librepo.log"), Path.of("/var/log/hawkey.log"));

  public static HostRpmState capture() {
    Map<String, String> files = new TreeMap<>();
    try {
      for (Path tree : TREES) {
        if (!Files.exists(tree)) {
          files.put(tree.toString(), "absent");
          continue;
        }
        try (Stream<Path> walk = Files.walk(tree)) {
          for (Path p : (Iterable<Path>) walk::iterator) {
            if (!p.getFileName().toString().endsWith("-shm")) {
              files.put(p.toString(), fingerprint(p));
            }
          }
        }
      }
      for (Path log : LOGS) {
        files.put(log.toString(), fingerprint(log));
      }
      try (Stream<Path> tmp = Files.list(Path.of("/var/tmp"))) {
        tmp.filter(p -> p.getFileName().toString().startsWith("dnf-"))
            .forEach(p -> files.put(p.toString(), "present"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new HostRpmState(files);
  }

  private static String fingerprint(Path path) throws IOException {
    if (!Files.exists(path)) {
      return "absent";
    }
    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
    if (!attributes.isRegularFile()) {
      return "directory";
    }
    try {
      String content = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)));
      return content + " " + attributes.size() + " " + attributes.lastModifiedTime().toInstant();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
