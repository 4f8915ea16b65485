package io.linuxpatch.audit.seal;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The sealing files in {@code data_dir/audit-seal/} (0700), outside the audit log's directory so that deleting
 * the log does not reset them: {@code state.json} (the current key, replaced atomically with fsync; 0600) and,
 * once per key lineage, {@code verification-key-<key id>.json} (the initial key, 0600), which the operator is
 * told to move off the host. Blocking: used on the audit verticle's worker thread only.
 */
public final class SealStore {

  private static final String STATE = "state.json";
  private static final String EXPORT_PREFIX = "verification-key-";

  private final Path directory;

  public SealStore(Path directory) {
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }

  /** The stored state, or empty when there is none yet (first start, or the directory was deleted). */
  public Optional<SealState> load() throws IOException {
    Path state = directory.resolve(STATE);
    if (!Files.exists(state)) {
      return Optional.empty();
    }
    try {
      return Optional.of(SealState.fromJson(new JsonObject(Files.readString(state, StandardCharsets.UTF_8))));
    } catch (DecodeException | IllegalArgumentException | NullPointerException | ClassCastException broken) {
      throw new IOException("the audit sealing state " + state + " cannot be read (" + broken.getMessage()
          + "); move it aside to start a new key (the log then says so at its next checkpoint)", broken);
    }
  }

  /** A new key lineage: {@code k0} from {@code random}, exported once for off-host keeping, then stored. */
  public Enrolment enrol(SecureRandom random, Instant now) throws IOException {
    byte[] k0 = new byte[32];
    random.nextBytes(k0);
    SealKey initial = SealKey.of(0, k0);
    Arrays.fill(k0, (byte) 0);
    String keyId = initial.keyId();
    createDirectory();
    Path exported = directory.resolve(EXPORT_PREFIX + keyId + ".json");
    write(exported, new VerificationKey(keyId, initial).toJson().put("created_at", now.toString()).encode() + "\n");
    SealState state = new SealState(keyId, initial, Checkpoint.NO_PREVIOUS_MAC);
    save(state);
    return new Enrolment(state, exported);
  }

  /** A new lineage's state and where its verification key was written. */
  public record Enrolment(SealState state, Path verificationKey) {}

  /** Replaces the state atomically (temporary file, fsync, rename, fsync of the directory). */
  public void save(SealState state) throws IOException {
    createDirectory();
    write(directory.resolve(STATE), state.toJson().encode() + "\n");
  }

  /** Verification keys still lying in the directory (they belong off the host). */
  public List<Path> verificationKeysOnHost() throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().startsWith(EXPORT_PREFIX)).sorted().toList();
    }
  }

  private void createDirectory() throws IOException {
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
  }

  private void write(Path target, String text) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
