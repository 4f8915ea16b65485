package io.linuxpatch.audit;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The head of the hash chain (AUD-2): the sequence number and hash of the last record, and the one place
 * that defines how a record is sealed into a line and how a line's hash is recomputed.
 *
 * <p><b>Canonical form.</b> A line is the Vert.x {@link JsonObject#encode()} of the record (no whitespace,
 * fields in insertion order: {@code time}, the caller's fields, {@code seq}, {@code prev}) with
 * {@code ,"hash":"<64 lowercase hex>"} inserted before the closing brace. The canonical bytes are the
 * UTF-8 line without that hash member, i.e. exactly the encoding of the object before {@code hash} was
 * added, and {@code hash} is the SHA-256 of those bytes. The verifier hashes the bytes as they are on disk
 * and never re-encodes parsed JSON, so an edit that keeps the meaning (an escape written in another case,
 * added whitespace) is still caught.
 *
 * @param seq  sequence number of the last record, 0 before the first record ever
 * @param hash hash of the last record, {@link #GENESIS_HASH} before the first record ever
 */
public record AuditChain(long seq, String hash) {

  /** The {@code prev} of the very first record ever written. */
  public static final String GENESIS_HASH = "0".repeat(64);
  /** The chain before any record. */
  public static final AuditChain GENESIS = new AuditChain(0, GENESIS_HASH);

  private static final byte[] HASH_MEMBER = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);
  /** {@code ,"hash":"} + 64 hex digits + {@code "}} */
  private static final int HASH_SUFFIX_LENGTH = HASH_MEMBER.length + 64 + 2;

  /** A record as it goes to disk: its JSON (with hash), its line bytes (no newline) and the new chain head. */
  public record Sealed(JsonObject json, byte[] line, AuditChain next) {}

  /**
   * Seals {@code record} as the next link: {@code time} (kept when the caller set it, else {@code now} in
   * RFC 3339 UTC), the caller's fields, then {@code seq} and {@code prev}; fields named seq/prev/hash in
   * the caller's record are replaced because only the chain may set them.
   */
  public Sealed seal(JsonObject record, Instant now) {
    JsonObject json = new JsonObject();
    Object time = record.getValue("time");
    json.put("time", time != null ? time : DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.MILLIS)));
    record.forEach(field -> {
      switch (field.getKey()) {
        case "time", "seq", "prev", "hash" -> { }
        default -> json.put(field.getKey(), field.getValue());
      }
    });
    json.put("seq", seq + 1).put("prev", hash);
    byte[] canonical = json.encode().getBytes(StandardCharsets.UTF_8);
    String digest = sha256(canonical);
    byte[] line = withHash(canonical, digest);
    return new Sealed(json.put("hash", digest), line, new AuditChain(seq + 1, digest));
  }

  /**
   * The canonical bytes and stated hash of one line as read from disk, or empty when the line does not end
   * with a well-formed {@code ,"hash":"<64 lowercase hex>"}} member.
   */
  public static Optional<HashedLine> split(byte[] line) {
    int at = line.length - HASH_SUFFIX_LENGTH;
    if (at < 1 || !Arrays.equals(line, at, at + HASH_MEMBER.length, HASH_MEMBER, 0, HASH_MEMBER.length)
        || line[line.length - 2] != '"' || line[line.length - 1] != '}') {
      return Optional.empty();
    }
    String stated = new String(line, at + HASH_MEMBER.length, 64, StandardCharsets.ISO_8859_1);
    if (!stated.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return Optional.empty();
    }
    byte[] canonical = Arrays.copyOf(line, at + 1);
    canonical[at] = '}';
    return Optional.of(new HashedLine(canonical, stated));
  }

  /** A line cut into the bytes that were hashed and the hash it claims. */
  public record HashedLine(byte[] canonical, String statedHash) {
    /** Whether the stated hash is the SHA-256 of the canonical bytes. */
    public boolean intact() {
      return sha256(canonical).equals(statedHash);
    }
  }

  private static byte[] withHash(byte[] canonical, String digest) {
    byte[] line = Arrays.copyOf(canonical, canonical.length - 1 + HASH_SUFFIX_LENGTH);
    int at = canonical.length - 1;
    System.arraycopy(HASH_MEMBER, 0, line, at, HASH_MEMBER.length);
    at += HASH_MEMBER.length;
    byte[] hex = digest.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(hex, 0, line, at, hex.length);
    line[line.length - 2] = '"';
    line[line.length - 1] = '}';
    return line;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException impossible) {
      // Every Java SE runtime must provide SHA-256.
      throw new IllegalStateException(impossible);
    }
  }
}
