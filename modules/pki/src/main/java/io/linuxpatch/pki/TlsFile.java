package io.linuxpatch.pki;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * One file named by a {@code tls.*} config key, read exactly once: either its bytes or the finding that
 * says why they could not be read (the "files exist" step of CFG-4).
 *
 * @param key     config key, e.g. {@code tls.server_key}
 * @param path    the configured path, or null when unset
 * @param bytes   the content, or null when it could not be read
 * @param problem why it could not be read, or null
 */
record TlsFile(String key, Path path, byte[] bytes, CertificateFinding problem) {

  /** Larger than any sane certificate bundle or CRL; a bigger file is a mistake, not something to load. */
  static final long MAX_BYTES = 32L * 1024 * 1024;

  /**
   * Reads the file at {@code configured}.
   *
   * @param role what the file should hold, e.g. "the agent's certificate", used in the advice
   * @param remedy what to do when the file does not exist
   */
  static TlsFile read(String key, String configured, String role, String remedy) {
    if (configured == null || configured.isBlank()) {
      return failed(key, null, "not set; point it at " + role);
    }
    Path path;
    try {
      path = Path.of(configured);
    } catch (InvalidPathException e) {
      return failed(key, null, "'" + configured + "' is not a valid path (" + e.getReason() + "); point "
          + key + " at " + role);
    }
    if (!Files.exists(path)) {
      return failed(key, path, path + " does not exist; " + remedy);
    }
    if (Files.isDirectory(path)) {
      return failed(key, path, path + " is a directory, not a file; point " + key + " at " + role);
    }
    if (!Files.isRegularFile(path)) {
      return failed(key, path, path + " is not a regular file; point " + key + " at " + role);
    }
    if (!Files.isReadable(path)) {
      return failed(key, path, path + " is not readable by user " + System.getProperty("user.name")
          + "; give the agent's user read access (keys: owner-only, chmod 0600)");
    }
    try (InputStream in = Files.newInputStream(path)) {
      // bounded read: a wrong path (a disk image, /dev/zero behind a symlink) must not exhaust the heap
      byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        return failed(key, path, path + " is larger than " + MAX_BYTES / (1024 * 1024) + " MiB, which no "
            + "certificate, key or CRL is; point " + key + " at " + role);
      }
      return new TlsFile(key, path, bytes, null);
    } catch (IOException | RuntimeException e) {
      return failed(key, path, path + " cannot be read (" + e.getMessage() + "); check the file and its "
          + "permissions");
    }
  }

  private static TlsFile failed(String key, Path path, String message) {
    return new TlsFile(key, path, null, CertificateFinding.error(key, message));
  }

  boolean readable() {
    return problem == null;
  }
}
