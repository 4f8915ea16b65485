package io.linuxpatch.audit;

import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends sealed, hash-chained records to the audit JSONL file (AUD-1..AUD-4): durable records are
 * fsynced before {@link #append} returns, the others wait in memory for {@link #flush} (called every
 * second); the file is rotated and gzipped when the UTC date changes and old rotated files are deleted.
 *
 * <p>Not thread-safe on purpose: it is owned by the single (ordered worker) {@link AuditVerticle}, so the
 * chain has exactly one writer. Nothing is opened in the constructor: the file is opened on the first
 * record and again after a failure, which is what lets the agent recover by itself once the disk has room.
 */
public final class AuditWriter implements Closeable {

  /** Opens the current file for appending; a seam so that tests can make writes fail like a full disk. */
  @FunctionalInterface
  interface ChannelOpener {
    FileChannel open(Path path) throws IOException;
  }

  /** Buffered (non-durable) records kept in memory at most; beyond it, reads are refused, not piled up. */
  static final int MAX_PENDING_BYTES = 8 * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
  private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY = PosixFilePermissions.asFileAttribute(OWNER_RW);
  private static final ChannelOpener FILE_CHANNEL = path -> FileChannel.open(path,
      Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND), OWNER_ONLY);

  private final AuditFileSet files;
  private final int retentionDays;
  private final Clock clock;
  private final ChannelOpener opener;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  private FileChannel channel;
  /** UTC date of the records in the current file; a record of another date rotates it. */
  private LocalDate fileDate;
  /** Head of the chain including pending records; null until read from disk on first open. */
  private AuditChain chain;
  /** Seq of the last record known to be on disk (fsync), for the {@code lpa_audit_seq} anchor. */
  private long syncedSeq;
  /** The newest record on disk when the log was first opened, before this writer appended anything. */
  private JsonObject recordAtOpen;
  private long recordsWritten;

  /**
   * A writer for {@code path} ({@code logging.audit_path}) that keeps rotated files for
   * {@code retentionDays} days and reads dates from {@code clock} (UTC).
   */
  public AuditWriter(Path path, int retentionDays, Clock clock) {
    this(path, retentionDays, clock, FILE_CHANNEL);
  }

  AuditWriter(Path path, int retentionDays, Clock clock, ChannelOpener opener) {
    this.files = new AuditFileSet(path.toAbsolutePath());
    this.retentionDays = retentionDays;
    this.clock = clock;
    this.opener = opener;
  }

  /**
   * Seals {@code record} as the next link of the chain and writes it. When {@code durable}, the record and
   * every buffered record before it are on disk (fsync) when this returns; when the write fails, the
   * record is not in the log and the chain is as before, so the caller can refuse its operation.
   *
   * @return the record as written, with time, seq, prev and hash
   * @throws IOException when the file cannot be opened, rotated or (durable) written
   */
  public AuditChain.Sealed append(JsonObject record, boolean durable) throws IOException {
    Instant now = clock.instant();
    open(now);
    rotateIfDue(now);
    if (!durable && pending.size() > MAX_PENDING_BYTES) {
      throw new IOException("audit buffer full (" + pending.size() + " bytes not yet written to " + files.current() + ")");
    }
    AuditChain before = chain;
    int mark = pending.size();
    AuditChain.Sealed sealed = chain.seal(record, now);
    pending.write(sealed.line());
    pending.write('\n');
    chain = sealed.next();
    if (durable) {
      byte[] all = pending.toByteArray();
      long start = channel.size();
      try {
        writePending();
        channel.force(true);
        syncedSeq = chain.seq();
      } catch (IOException failed) {
        // Take the record back out so that the refused operation leaves no trace and the chain stays
        // unbroken; the buffered records before it are kept for the next attempt.
        truncateQuietly(start);
        pending.reset();
        pending.write(all, 0, mark);
        chain = before;
        throw failed;
      }
    }
    return sealed;
  }

  /**
   * Writes the buffered records to the file and syncs it.
   *
   * @return whether anything was written (false when nothing was buffered)
   */
  public boolean flush() throws IOException {
    if (pending.size() == 0) {
      return false;
    }
    open(clock.instant());
    long start = channel.size();
    try {
      writePending();
    } catch (IOException failed) {
      truncateQuietly(start);
      throw failed;
    }
    channel.force(false);
    syncedSeq = chain.seq();
    return true;
  }

  /**
   * The head of the chain (last record appended, buffered or not), opening the log when it is not open yet.
   *
   * @throws IOException when the log cannot be opened or its last record cannot be read
   */
  public AuditChain head() throws IOException {
    open(clock.instant());
    return chain;
  }

  /**
   * The newest record that was on disk when this writer first opened the log (before it appended anything),
   * or empty for a new log or before the first open.
   */
  public Optional<JsonObject> recordAtOpen() {
    return Optional.ofNullable(recordAtOpen);
  }

  /** Seq of the last record known to be on disk (written and fsynced), 0 before any. */
  public long syncedSeq() {
    return syncedSeq;
  }

  /** The current file ({@code logging.audit_path}). */
  public Path path() {
    return files.current();
  }

  /** Sequence number of the last record appended (buffered or not), 0 before the first record. */
  public long lastSeq() {
    return chain == null ? 0 : chain.seq();
  }

  /** Records written to disk by this writer since it was created. */
  public long recordsWritten() {
    return recordsWritten;
  }

  @Override
  public void close() throws IOException {
    if (channel == null) {
      return;
    }
    try {
      flush();
    } finally {
      channel.close();
      channel = null;
    }
  }

  private void writePending() throws IOException {
    byte[] bytes = pending.toByteArray();
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    recordsWritten += countLines(bytes);
    pending.reset();
  }

  /** Removes a torn line left by a failed write (ENOSPC after a partial write) so the file stays valid. */
  private void truncateQuietly(long size) {
    try {
      if (channel != null && channel.size() > size) {
        channel.truncate(size);
      }
    } catch (IOException alsoFailed) {
      LOG.error("Could not remove a partly written audit record from {}: {}; `linux-patch-api audit verify` will "
          + "report the line, move the file aside after checking it", files.current(), alsoFailed.toString());
    }
  }

  private void open(Instant now) throws IOException {
    if (channel != null) {
      return;
    }
    Path current = files.current();
    Path dir = current.getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    compressLeftovers();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    Optional<Tail> tail = Files.exists(current) && Files.size(current) > 0 ? Optional.of(repairTail(current)) : Optional.empty();
    if (chain == null) {
      Optional<Tail> newest = tail.isPresent() ? tail : tailOfNewestRotated();
      chain = newest.map(Tail::chain).orElse(AuditChain.GENESIS);
      recordAtOpen = newest.map(Tail::last).orElse(null);
      syncedSeq = chain.seq();
    }
    fileDate = tail.map(Tail::date).orElse(today);
    FileChannel opened = opener.open(current);
    try {
      // The file may predate us with looser permissions (restored from backup, created by hand).
      Files.setPosixFilePermissions(current, OWNER_RW);
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw e;
    }
    channel = opened;
    deleteExpired(today);
  }

  private void rotateIfDue(Instant now) throws IOException {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    if (today.equals(fileDate)) {
      return;
    }
    if (channel.size() == 0 && pending.size() == 0) {
      fileDate = today;
      return;
    }
    flush();
    channel.force(true);
    channel.close();
    // From here on a failure leaves the channel closed: the next record reopens, finishes the gzip of a
    // renamed file in compressLeftovers() and continues the chain from memory.
    channel = null;
    Path plain = freeRotatedName(fileDate);
    Files.move(files.current(), plain, StandardCopyOption.ATOMIC_MOVE);
    gzip(plain);
    LOG.info("Rotated audit log {} to {}.gz", files.current(), plain);
    open(now);
  }

  private Path freeRotatedName(LocalDate date) {
    for (int part = 0; ; part++) {
      Path plain = files.rotatedPlain(date, part);
      if (!Files.exists(plain) && !Files.exists(gzOf(plain))) {
        return plain;
      }
    }
  }

  private static Path gzOf(Path plain) {
    return plain.resolveSibling(plain.getFileName() + ".gz");
  }

  /** Compresses {@code plain} to {@code plain.gz} through a synced temporary file, then deletes it. */
  private static void gzip(Path plain) throws IOException {
    Path gz = gzOf(plain);
    Path tmp = gz.resolveSibling(gz.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try (FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_ONLY)) {
      try (OutputStream zip = new GZIPOutputStream(Channels.newOutputStream(out), 64 * 1024) {
        @Override
        public void close() throws IOException {
          // Finish the gzip trailer but keep the channel open for the fsync below.
          finish();
          flush();
        }
      }) {
        Files.copy(plain, zip);
      }
      out.force(true);
    }
    Files.move(tmp, gz, StandardCopyOption.ATOMIC_MOVE);
    Files.delete(plain);
  }

  /** A rotation interrupted between rename and gzip (crash, full disk) is finished before writing on. */
  private void compressLeftovers() throws IOException {
    for (AuditFileSet.Rotated rotated : files.rotated()) {
      if (!rotated.compressed()) {
        if (Files.exists(gzOf(rotated.path()))) {
          // The .gz was complete (it is moved into place only after fsync); the rename was the last step.
          Files.delete(rotated.path());
        } else {
          gzip(rotated.path());
        }
      }
    }
  }

  private void deleteExpired(LocalDate today) {
    LocalDate oldestKept = today.minusDays(retentionDays);
    try {
      for (AuditFileSet.Rotated rotated : files.rotated()) {
        if (rotated.date().isBefore(oldestKept)) {
          Files.deleteIfExists(rotated.path());
          LOG.info("Deleted audit log {} (older than logging.retention_days={})", rotated.path(), retentionDays);
        }
      }
    } catch (IOException e) {
      // Retention is housekeeping: failing it must not stop the audit log itself.
      LOG.warn("Could not delete expired audit logs next to {}: {}", files.current(), e.toString());
    }
  }

  /** The chain head, date and content of the last record of a file. */
  private record Tail(AuditChain chain, LocalDate date, JsonObject last) {}

  /**
   * Reads the last complete line of the current file; a torn last line (crash in the middle of a write)
   * is cut off, because appending after it would glue the next record to it and break the file.
   */
  private Tail repairTail(Path current) throws IOException {
    try (FileChannel ch = FileChannel.open(current, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long end = lastNewlineBefore(ch, size);
      if (end + 1 < size) {
        LOG.warn("Cut {} bytes of an incomplete last record from {} before appending", size - end - 1, current);
        ch.truncate(end + 1);
        ch.force(true);
      }
      if (end < 0) {
        throw new IOException(current + " holds no complete record; move it aside so the audit log can start again");
      }
      long start = lastNewlineBefore(ch, end) + 1;
      ByteBuffer line = ByteBuffer.allocate(Math.toIntExact(end - start));
      while (line.hasRemaining() && ch.read(line, start + line.position()) >= 0) {
        // read until the buffer is full
      }
      return tailOf(line.array(), current);
    }
  }

  /** Position of the last '\n' strictly before {@code before}, or -1. */
  private static long lastNewlineBefore(FileChannel ch, long before) throws IOException {
    ByteBuffer block = ByteBuffer.allocate(8192);
    long pos = before;
    while (pos > 0) {
      int length = (int) Math.min(block.capacity(), pos);
      block.clear().limit(length);
      long from = pos - length;
      while (block.hasRemaining() && ch.read(block, from + block.position()) >= 0) {
        // read until the block is full
      }
      for (int i = length - 1; i >= 0; i--) {
        if (block.get(i) == '\n') {
          return from + i;
        }
      }
      pos = from;
    }
    return -1;
  }

  private Optional<Tail> tailOfNewestRotated() throws IOException {
    List<AuditFileSet.Rotated> rotated = files.rotated();
    if (rotated.isEmpty()) {
      return Optional.empty();
    }
    Path newest = rotated.get(rotated.size() - 1).path();
    byte[] last = null;
    try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(newest)))) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b >= 0; b = in.read()) {
        if (b == '\n') {
          last = line.toByteArray();
          line.reset();
        } else {
          line.write(b);
        }
      }
    }
    if (last == null) {
      throw new IOException(newest + " holds no complete record; the audit chain cannot continue from it");
    }
    return Optional.of(tailOf(last, newest));
  }

  private Tail tailOf(byte[] line, Path file) throws IOException {
    try {
      JsonObject last = new JsonObject(new String(line, StandardCharsets.UTF_8));
      AuditChain head = new AuditChain(last.getLong("seq"), last.getString("hash"));
      if (head.hash() == null || head.hash().length() != 64) {
        throw new IllegalArgumentException("no hash");
      }
      return new Tail(head, dateOf(last.getValue("time")), last);
    } catch (RuntimeException broken) {
      throw new IOException("the last record of " + file + " is not a valid audit record (" + broken.getMessage()
          + "), so the chain cannot continue; run `linux-patch-api audit verify` and move the file aside", broken);
    }
  }

  private LocalDate dateOf(Object time) {
    try {
      return OffsetDateTime.parse(String.valueOf(time)).atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
    } catch (DateTimeParseException notRfc3339) {
      return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
  }

  private static int countLines(byte[] bytes) {
    int lines = 0;
    for (byte b : bytes) {
      if (b == '\n') {
        lines++;
      }
    }
    return lines;
  }
}
