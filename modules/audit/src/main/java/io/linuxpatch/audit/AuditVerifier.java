package io.linuxpatch.audit;

import io.linuxpatch.audit.seal.SealCheck;
import io.linuxpatch.audit.seal.VerificationKey;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.GZIPInputStream;

/**
 * Checks the hash chain of audit files (AUD-2, {@code linux-patch-api audit verify FILE…}): every line's
 * hash is recomputed from its bytes as stored, every {@code prev} must be the hash of the record before
 * (across files) and {@code seq} must grow by one. It stops at the first broken record and names it.
 *
 * <p>The chain alone proves order, not authorship: anyone can recompute it. What the verifier is given from
 * outside the file closes that gap (AUD-5): the off-host {@link VerificationKey} checks the sealed checkpoints
 * ({@link SealCheck}; their structure is checked without it too), and {@link Anchor}s — chain heads a collector
 * or a metric kept — must be found in the log ({@link AnchorCheck}).
 *
 * <p>A chain whose oldest files were deleted by retention starts with a {@code prev} that cannot be
 * checked; the result says whether it started at the genesis record.
 */
public final class AuditVerifier {

  private final VerificationKey key;
  private final List<Anchor> anchors;

  /** A verifier of the chain and of the checkpoints' structure. */
  public AuditVerifier() {
    this(null, List.of());
  }

  /**
   * A verifier that also recomputes the checkpoints' MACs with {@code key} (null: structure only) and requires
   * every anchor in the log.
   */
  public AuditVerifier(VerificationKey key, List<Anchor> anchors) {
    this.key = key;
    this.anchors = List.copyOf(anchors);
  }

  /** Verifies {@code files} (plain or {@code .gz}) in the given order, as one chain. */
  public AuditVerification verify(List<Path> files) {
    SealCheck seals = new SealCheck(key);
    AnchorCheck anchored = new AnchorCheck(anchors);
    Path lastFile = files.isEmpty() ? null : files.get(files.size() - 1);
    int lastLine = 0;
    String prevHash = null;
    long prevSeq = 0;
    long records = 0;
    long firstSeq = 0;
    boolean fromGenesis = false;
    for (Path file : files) {
      byte[] content;
      try {
        content = read(file);
      } catch (IOException e) {
        return new AuditVerification.Broken(file, 0, OptionalLong.empty(), "unreadable file: " + e.getMessage(), records);
      }
      int lineNo = 0;
      int start = 0;
      lastFile = file;
      while (start < content.length) {
        int end = indexOf(content, start);
        // A last line without '\n' is still checked: a torn or appended tail must not pass silently.
        byte[] line = Arrays.copyOfRange(content, start, end < 0 ? content.length : end);
        start = end < 0 ? content.length : end + 1;
        lineNo++;
        Optional<JsonObject> json = parse(line);
        if (json.isEmpty()) {
          return new AuditVerification.Broken(file, lineNo, OptionalLong.empty(), "not valid JSON", records);
        }
        OptionalLong seq = seqOf(json.get());
        Optional<AuditChain.HashedLine> hashed = AuditChain.split(line);
        if (hashed.isEmpty() || !hashed.get().intact() || !hashed.get().statedHash().equals(json.get().getValue("hash"))) {
          return new AuditVerification.Broken(file, lineNo, seq, "hash mismatch", records);
        }
        Object prev = json.get().getValue("prev");
        if (prevHash == null) {
          fromGenesis = AuditChain.GENESIS_HASH.equals(prev);
        } else if (!prevHash.equals(prev)) {
          return new AuditVerification.Broken(file, lineNo, seq, "prev does not match the previous record", records);
        }
        boolean seqOk = seq.isPresent() && (prevHash == null
            ? !fromGenesis || seq.getAsLong() == 1
            : seq.getAsLong() == prevSeq + 1);
        if (!seqOk) {
          return new AuditVerification.Broken(file, lineNo, seq, "seq gap", records);
        }
        if (prevHash == null) {
          firstSeq = seq.getAsLong();
        }
        Optional<String> unsealed = seals.check(json.get(), seq.getAsLong(), String.valueOf(prev), fromGenesis);
        if (unsealed.isPresent()) {
          return new AuditVerification.Broken(file, lineNo, seq, unsealed.get(), records);
        }
        Optional<String> contradicted = anchored.check(seq.getAsLong(), hashed.get().statedHash());
        if (contradicted.isPresent()) {
          return new AuditVerification.Broken(file, lineNo, seq, contradicted.get(), records);
        }
        prevHash = hashed.get().statedHash();
        prevSeq = seq.getAsLong();
        records++;
        lastLine = lineNo;
      }
    }
    Optional<String> cut = anchored.end(prevSeq);
    if (cut.isPresent()) {
      return new AuditVerification.Broken(lastFile == null ? Path.of("(no audit file)") : lastFile, lastLine + 1L,
          OptionalLong.empty(), cut.get(), records);
    }
    return new AuditVerification.Intact(records, firstSeq, prevSeq, fromGenesis,
        new AuditVerification.Seals(seals.checkpoints(), seals.sealedThroughSeq(), seals.keyId(), seals.macsChecked()),
        anchored.checked());
  }

  /**
   * The files of the audit log at {@code auditPath} (the configured {@code logging.audit_path}, or a
   * directory holding {@code audit.jsonl}) in chain order: rotated files oldest first, then the current one.
   */
  public static List<Path> filesOldestFirst(Path auditPath) throws IOException {
    return AuditFileSet.of(auditPath).oldestFirst();
  }

  private static byte[] read(Path file) throws IOException {
    if (!file.getFileName().toString().endsWith(".gz")) {
      return Files.readAllBytes(file);
    }
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return in.readAllBytes();
    }
  }

  private static int indexOf(byte[] content, int from) {
    for (int i = from; i < content.length; i++) {
      if (content[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static Optional<JsonObject> parse(byte[] line) {
    try {
      // Strict decoding: a flipped bit that makes invalid UTF-8 must not be papered over with U+FFFD.
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(line)).toString();
      return Optional.of(new JsonObject(text));
    } catch (CharacterCodingException | RuntimeException notJson) {
      return Optional.empty();
    }
  }

  private static OptionalLong seqOf(JsonObject json) {
    return json.getValue("seq") instanceof Number n && !(n instanceof Double || n instanceof Float)
        ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
  }
}
