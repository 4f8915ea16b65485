package io.linuxpatch.jobs;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash-safe job persistence (JOB-7): one file per job under {@code data_dir/jobs}, replaced atomically
 * (write a temporary file, fsync it, rename it over the old one, fsync the directory), so that after a
 * crash or {@code kill -9} each job is either its previous or its new state, never a torn mix. One file per
 * job rather than a journal keeps deletion and retention trivial and a corrupt file costs one job, not all.
 *
 * <p>Blocking: called only from worker threads (the JobVerticle's ordered executeBlocking).
 */
final class JobStore {

  private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);
  private static final String SUFFIX = ".json";

  private final Path directory;

  JobStore(Path directory) {
    this.directory = directory;
  }

  Path directory() {
    return directory;
  }

  /** Creates the directory (0700: job logs can name what runs on the host). */
  void open() throws IOException {
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory);
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    }
  }

  /** Returns once the job's new state is on disk. */
  void write(UUID id, byte[] json) throws IOException {
    Path target = file(id);
    Path temp = directory.resolve(id + SUFFIX + ".tmp");
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(json);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory();
  }

  void delete(UUID id) throws IOException {
    if (Files.deleteIfExists(file(id))) {
      syncDirectory();
    }
  }

  /**
   * Every stored job. A file that does not parse (a disk fault, an edit by hand) is moved aside as
   * {@code .corrupt} and reported, never silently dropped, and does not stop the others from loading.
   */
  List<JsonObject> loadAll() throws IOException {
    List<JsonObject> jobs = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      for (Path file : files) {
        try {
          jobs.add(new JsonObject(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (DecodeException | IOException e) {
          Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
          LOG.error("job file {} cannot be read ({}); moved to {}", file, e.getMessage(), aside);
          Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return jobs;
  }

  private Path file(UUID id) {
    // The id is a parsed UUID, so the name can never leave the directory.
    return directory.resolve(id + SUFFIX);
  }

  /** Makes the rename itself durable: without it a crash can bring the old directory entry back. */
  private void syncDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
