package io.linuxpatch.packages.backend.apt.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fingerprint of the host's package state — content and mtime of dpkg's status file, and size and mtime
 * of the files apt and dpkg append to — so a test can prove that sandbox runs left the host alone.
 *
 * @param files path → "sha256 size mtime" (or "absent")
 */
record HostPackageState(Map<String, String> files) {

  private static final String[] WATCHED = {
      "/var/lib/dpkg/status", "/var/lib/dpkg/available", "/var/log/dpkg.log", "/var/log/apt/history.log",
      "/var/log/apt/term.log", "/var/lib/apt/extended_states", "/var/cache/apt/archives"};

  static HostPackageState capture() {
    Map<String, String> files = new LinkedHashMap<>();
    for (String name : WATCHED) {
      files.put(name, fingerprint(Path.of(name)));
    }
    return new HostPackageState(files);
  }

  private static String fingerprint(Path path) {
    try {
      if (!Files.exists(path)) {
        return "absent";
      }
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      String content = attributes.isRegularFile()
          ? HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)))
          : "directory";
      return content + " " + attributes.size() + " " + attributes.lastModifiedTime().toInstant();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
