package io.linuxpatch.auth.tls;

import io.linuxpatch.contract.config.TlsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * What the TLS files (ca_cert, server_cert, server_key, crl_path) look like on disk without reading them:
 * modification time, size and inode of each. Two equal stamps mean "nothing to reload"; a rename over a
 * file changes the inode even when time and size happen to match.
 *
 * @param files one stamp per configured file, in config order
 */
public record TlsFileStamps(List<String> files) {

  public TlsFileStamps {
    files = List.copyOf(files);
  }

  /** Stats the files named by {@code tls}. Blocking (a stat per file): call it from a worker. */
  public static TlsFileStamps of(TlsConfig tls) {
    List<String> stamps = new ArrayList<>();
    for (String file : new String[] {tls.caCert(), tls.serverCert(), tls.serverKey(), tls.crlPath()}) {
      stamps.add(stamp(file));
    }
    return new TlsFileStamps(stamps);
  }

  private static String stamp(String file) {
    if (file == null || file.isBlank()) {
      return "unset";
    }
    try {
      // Follows symlinks: a certificate managed as a symlink to a versioned file changes with its target.
      BasicFileAttributes a = Files.readAttributes(Path.of(file), BasicFileAttributes.class);
      return file + " " + a.lastModifiedTime().toMillis() + " " + a.size() + " " + a.fileKey();
    } catch (IOException | InvalidPathException | SecurityException e) {
      return file + " unreadable " + e.getClass().getSimpleName();
    }
  }
}
