package io.linuxpatch.packages.backend.pacman.inventory;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Reads one pacman sync database ({@code DBPath/sync/REPO.db}) into memory without forking (PKG-2): a tar
 * archive with a {@code NAME-VERSION/desc} entry per available package. The archive is streamed and decoded as
 * it is read, never held whole (Arch's core and extra hold about 15,000 packages, some 8 MB compressed); only
 * the desc entries are read, one at a time into a reusable buffer.
 *
 * <p>The compression is recognised by its magic bytes, not by a name (pacman stores every database as
 * {@code REPO.db}): gzip, what the Arch mirrors publish ({@code dbscripts}' {@code DBEXT=".db.tar.gz"}) and what
 * {@code repo-add repo.db.tar.gz} writes; zstd, xz and bzip2, which {@code repo-add} writes for
 * {@code .db.tar.zst}, {@code .db.tar.xz} and {@code .db.tar.bz2}; and an uncompressed tar. Anything else is
 * reported as a problem of an empty database, so a missing {@code available_version} has a visible reason.
 */
public final class SyncDatabaseReader {

  /** The most a database may decode to: Arch's extra is about 40 MB uncompressed; more is corrupt or hostile. */
  static final long MAX_DECODED_BYTES = 1L << 30;
  static final int MAX_DESC_BYTES = 1 << 20;

  /** How a sync database file is compressed, recognised by its first bytes. */
  enum Compression {
    GZIP, ZSTD, XZ, BZIP2, NONE, UNKNOWN;

    static Compression of(byte[] head, int length) {
      if (startsWith(head, length, 0x1f, 0x8b)) {
        return GZIP;
      }
      if (startsWith(head, length, 0x28, 0xb5, 0x2f, 0xfd)) {
        return ZSTD;
      }
      if (startsWith(head, length, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
        return XZ;
      }
      if (startsWith(head, length, 'B', 'Z', 'h')) {
        return BZIP2;
      }
      if (length >= 262 && head[257] == 'u' && head[258] == 's' && head[259] == 't' && head[260] == 'a'
          && head[261] == 'r') {
        return NONE;
      }
      return UNKNOWN;
    }

    private static boolean startsWith(byte[] head, int length, int... magic) {
      if (length < magic.length) {
        return false;
      }
      for (int i = 0; i < magic.length; i++) {
        if ((head[i] & 0xFF) != magic[i]) {
          return false;
        }
      }
      return true;
    }
  }

  private byte[] buffer = new byte[16 * 1024];

  /**
   * Reads a sync database file. Never throws for bad content: a database that cannot be decoded is empty with a
   * problem saying why, and entries that cannot be read are skipped with a problem each. Blocking; not for
   * concurrent use.
   *
   * @param repository the repository's name ({@code core}, {@code extra}, …) as pacman.conf names it
   * @throws IOException when the file cannot be opened
   */
  public PacmanDatabase read(Path file, String repository) throws IOException {
    String source = "sync/" + file.getFileName();
    List<DatabaseProblem> problems = new ArrayList<>();
    int[] problemCount = {0};
    PackageColumns.Builder builder = new PackageColumns.Builder(repository);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
      raw.mark(512);
      byte[] head = new byte[512];
      int headLength = raw.readNBytes(head, 0, head.length);
      raw.reset();
      Compression compression = Compression.of(head, headLength);
      if (compression == Compression.UNKNOWN) {
        return PacmanDatabase.empty(repository, List.of(new DatabaseProblem(source,
            headLength == 0 ? "empty file" : "not a tar archive in a compression this agent reads (gzip, zstd, xz, "
                + "bzip2 or none)")));
      }
      try (TarArchiveInputStream tar = new TarArchiveInputStream(decoded(raw, compression))) {
        long decodedBytes = 0;
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          // counted before anything is skipped: skipping an entry decodes it too
          decodedBytes += Math.max(entry.getSize(), 0) + 512;
          if (decodedBytes > MAX_DECODED_BYTES) {
            problem(problems, problemCount, source, "decodes to more than " + MAX_DECODED_BYTES
                + " bytes; the rest is not read");
            break;
          }
          String name = entry.getName();
          if (!entry.isFile() || !name.endsWith("/desc")) {
            continue; // directories, and "files" entries of a .files database
          }
          String entrySource = source + ":" + name;
          if (entry.getSize() > MAX_DESC_BYTES) {
            problem(problems, problemCount, entrySource, "larger than " + MAX_DESC_BYTES + " bytes: not a desc entry");
            continue;
          }
          int length = (int) entry.getSize();
          if (buffer.length < length) {
            buffer = Arrays.copyOf(buffer, Math.max(length, buffer.length * 2));
          }
          int read = tar.readNBytes(buffer, 0, length);
          if (read < length) {
            throw new EOFException("the archive ends inside " + name);
          }
          builder.begin();
          DescParser.parse(buffer, read, builder);
          String expected = builder.current(DescField.NAME) + "-" + builder.current(DescField.VERSION) + "/desc";
          String rejected = builder.end();
          if (rejected != null) {
            problem(problems, problemCount, entrySource, rejected);
          } else if (!expected.equals(name)) {
            problem(problems, problemCount, entrySource, "names " + expected);
          }
        }
      } catch (IOException | RuntimeException e) {
        // a truncated download or a corrupt stream: keep what was read, say where it stopped
        problem(problems, problemCount, source, "cannot be read to the end (" + e.getClass().getSimpleName() + ": "
            + e.getMessage() + "); " + builder.rows() + " packages were read before");
      }
    }
    PackageColumns columns = builder.build();
    for (String name : PackageColumns.Builder.duplicates(columns)) {
      problem(problems, problemCount, source, name + " appears more than once");
    }
    if (problemCount[0] > problems.size()) {
      problems.add(new DatabaseProblem(source, (problemCount[0] - problems.size()) + " further problems not listed"));
    }
    return new PacmanDatabase(columns, problems);
  }

  private static InputStream decoded(InputStream raw, Compression compression) throws IOException {
    return switch (compression) {
      case GZIP -> new GZIPInputStream(raw, 64 * 1024);
      case ZSTD -> new ZstdInputStream(raw);
      case XZ -> new XZInputStream(raw);
      case BZIP2 -> new BZip2CompressorInputStream(raw, true);
      case NONE -> raw;
      case UNKNOWN -> throw new IllegalStateException("no decoder for an unknown compression");
    };
  }

  private static void problem(List<DatabaseProblem> problems, int[] count, String source, String message) {
    count[0]++;
    if (problems.size() < PacmanDatabase.MAX_PROBLEMS) {
      problems.add(new DatabaseProblem(source, message));
    }
  }
}
