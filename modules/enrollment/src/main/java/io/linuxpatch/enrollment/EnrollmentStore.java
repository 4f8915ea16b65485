package io.linuxpatch.enrollment;

import io.linuxpatch.pki.PemFiles;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an enrollment in progress in {@code data_dir/enrollment/} (mode 0700) so that a restart resumes it with
 * the same token and the same key (ENR): {@code pending.key.pem} (the CSR's key, 0600, written before the
 * registration is sent) and {@code polling-token.json} (0600: manager, kind, time, token). Both are removed once
 * the enrollment ends, for good or ill. Blocking file I/O: call from a worker.
 */
public final class EnrollmentStore {

  static final String KEY_FILE = "pending.key.pem";
  static final String TOKEN_FILE = "polling-token.json";
  private static final Logger LOG = LoggerFactory.getLogger(EnrollmentStore.class);

  private final Path directory;

  /** The store under {@code dataDir}. */
  public EnrollmentStore(Path dataDir) {
    this.directory = dataDir.resolve("enrollment");
  }

  public Path directory() {
    return directory;
  }

  /** The enrollment a previous run left, if its files are whole. */
  public Optional<PendingEnrollment> load() {
    Path tokenFile = directory.resolve(TOKEN_FILE);
    Path keyFile = directory.resolve(KEY_FILE);
    if (!Files.isRegularFile(tokenFile) || !Files.isRegularFile(keyFile)) {
      return Optional.empty();
    }
    try {
      JsonObject json = new JsonObject(Files.readString(tokenFile, StandardCharsets.UTF_8));
      PrivateKey key = PemFiles.readPrivateKey(keyFile);
      String token = json.getString("polling_token");
      return Optional.of(new PendingEnrollment(ManagerUrl.parse(json.getString("manager_url")),
          json.getString("kind", "enroll"), Instant.parse(json.getString("requested_at")), key,
          token == null ? null : new PollingToken(token)));
    } catch (IOException | RuntimeException e) {
      // Deliberately without the exception's text: a JSON parser's message may quote the file, token included.
      LOG.warn("the stored enrollment in {} is unreadable ({}); it is discarded and the next enrollment registers "
          + "again", directory, e.getClass().getSimpleName());
      clear();
      return Optional.empty();
    }
  }

  /** Keeps the key of a new request, before the request is sent; any older state goes. */
  public void begin(PendingEnrollment pending) throws IOException {
    clear();
    ensureDirectory();
    PemFiles.writeAtomically(directory.resolve(KEY_FILE), PemFiles.encode(pending.key()), PemFiles.KEY_PERMISSIONS);
    writeToken(pending);
  }

  /** Records the token the manager handed out for {@code pending}. */
  public void saveToken(PendingEnrollment pending) throws IOException {
    ensureDirectory();
    writeToken(pending);
  }

  /** Forgets the enrollment (the token was used, refused or lost). */
  public void clear() {
    for (String name : new String[] {TOKEN_FILE, KEY_FILE}) {
      try {
        Files.deleteIfExists(directory.resolve(name));
      } catch (IOException e) {
        LOG.warn("cannot remove {}: {}", directory.resolve(name), e.getMessage());
      }
    }
  }

  private void writeToken(PendingEnrollment pending) throws IOException {
    JsonObject json = new JsonObject().put("manager_url", pending.manager().toString()).put("kind", pending.kind())
        .put("requested_at", pending.requestedAt().toString())
        .put("polling_token", pending.token() == null ? null : pending.token().value());
    PemFiles.writeAtomically(directory.resolve(TOKEN_FILE), json.encodePrettily().getBytes(StandardCharsets.UTF_8),
        PemFiles.KEY_PERMISSIONS);
  }

  private void ensureDirectory() throws IOException {
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory.getParent());
      Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PemFiles.DIRECTORY_PERMISSIONS));
    }
  }
}
