package io.linuxpatch.packages.backend.apt.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Size and the two checksums apt verifies for a repository file: MD5Sum (still written by Debian's archive
 * and read by older tools) and SHA256 (what apt actually trusts).
 *
 * @param size   bytes
 * @param md5    lower-case hex MD5
 * @param sha256 lower-case hex SHA-256
 */
public record FileDigest(long size, String md5, String sha256) {

  /** Reads {@code file} once and computes both checksums. */
  public static FileDigest of(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      long size = 0;
      byte[] buffer = new byte[64 * 1024];
      try (DigestInputStream both = new DigestInputStream(new DigestInputStream(in, md5), sha256)) {
        for (int n = both.read(buffer); n >= 0; n = both.read(buffer)) {
          size += n;
        }
      }
      return new FileDigest(size, HexFormat.of().formatHex(md5.digest()), HexFormat.of().formatHex(sha256.digest()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot checksum " + file, e);
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE runtime must provide MD5 and SHA-256.
      throw new IllegalStateException(e);
    }
  }
}
