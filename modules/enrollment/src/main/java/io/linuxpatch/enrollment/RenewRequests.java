package io.linuxpatch.enrollment;

import io.linuxpatch.pki.PemFiles;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * How {@code --renew-certs} reaches an agent that already runs on the data directory (OPS-5 lets only one process
 * use it): the command writes {@code data_dir/enrollment/renew-request.json} with an id, the agent takes it as soon as
 * the file appears (it watches the file), renews (or joins the renewal under way) and answers in {@code renew-result.json} under the same id.
 * Both files are 0600 in the 0700 enrollment directory; neither holds a token or key. Blocking file I/O.
 */
public final class RenewRequests {

  static final String REQUEST = "renew-request.json";
  static final String RESULT = "renew-result.json";

  /** The agent's answer to one request. */
  public record Answer(String id, boolean renewed, String message) {}

  private final Path directory;

  public RenewRequests(Path dataDir) {
    this.directory = new EnrollmentStore(dataDir).directory();
  }

  public Path requestFile() {
    return directory.resolve(REQUEST);
  }

  /** The command's side: asks for a renewal; any older answer is removed first. */
  public void request(String id) throws IOException {
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory.getParent());
      Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PemFiles.DIRECTORY_PERMISSIONS));
    }
    Files.deleteIfExists(directory.resolve(RESULT));
    write(REQUEST, new JsonObject().put("id", id));
  }

  /** The command's side: whether the agent has taken the request. */
  public boolean taken() {
    return !Files.exists(requestFile());
  }

  /** The command's side: withdraws a request nobody took. */
  public void withdraw() throws IOException {
    Files.deleteIfExists(requestFile());
  }

  /** The command's side: the answer to {@code id}, once there. */
  public Optional<Answer> answer(String id) {
    try {
      JsonObject json = new JsonObject(Files.readString(directory.resolve(RESULT), StandardCharsets.UTF_8));
      if (!id.equals(json.getString("id"))) {
        return Optional.empty();
      }
      return Optional.of(new Answer(id, json.getBoolean("renewed", false), json.getString("message", "")));
    } catch (IOException | RuntimeException notYet) {
      return Optional.empty();
    }
  }

  /** The agent's side: takes a waiting request (removing it), if there is one. */
  public Optional<String> take() {
    Path file = requestFile();
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      String id = new JsonObject(Files.readString(file, StandardCharsets.UTF_8)).getString("id");
      Files.deleteIfExists(file);
      return Optional.ofNullable(id);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // nothing else to do with a request that cannot be read
      }
      return Optional.empty();
    }
  }

  /** The agent's side: answers a request. */
  public void answer(Answer answer) throws IOException {
    write(RESULT, new JsonObject().put("id", answer.id()).put("renewed", answer.renewed())
        .put("message", answer.message()));
  }

  private void write(String name, JsonObject json) throws IOException {
    PemFiles.writeAtomically(directory.resolve(name), json.encode().getBytes(StandardCharsets.UTF_8),
        PemFiles.KEY_PERMISSIONS);
  }
}
