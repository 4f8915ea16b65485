package io.linuxpatch.packages.backend.apt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The fingerprint of the package state a plan was computed on: the bytes of the dpkg status file and the
 * name, size and modification time of every index apt downloaded. Any install, removal, hold or cache
 * refresh changes it, which makes a plan's {@code plan_id} stale.
 */
final class AptStateFingerprint {

  private final Path statusFile;
  private final Path listsDir;

  AptStateFingerprint(Path statusFile, Path listsDir) {
    this.statusFile = statusFile;
    this.listsDir = listsDir;
  }

  String fingerprint() throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = Files.newInputStream(statusFile)) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    List<String> lists = new ArrayList<>();
    if (Files.isDirectory(listsDir)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(listsDir)) {
        for (Path entry : entries) {
          if (Files.isRegularFile(entry)) {
            BasicFileAttributes a = Files.readAttributes(entry, BasicFileAttributes.class);
            lists.add(entry.getFileName() + "\t" + a.size() + "\t" + a.lastModifiedTime().toMillis());
          }
        }
      }
    }
    lists.sort(String::compareTo);
    for (String line : lists) {
      digest.update(line.getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
