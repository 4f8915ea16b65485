package io.linuxpatch.audit;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.OptionalLong;

/** The outcome of {@link AuditVerifier#verify}: the whole chain is intact, or the first record that breaks it. */
public sealed interface AuditVerification {

  /** Whether every record verified. */
  boolean ok();

  /** JSON for the CLI's {@code --json} output and for logs. */
  JsonObject toJson();

  /**
   * What the sealed checkpoints of a log showed (AUD-5).
   *
   * @param checkpoints      checkpoints found (all valid)
   * @param sealedThroughSeq seq of the last checkpoint: records after it are not sealed yet (0: none)
   * @param keyId            the key id the checkpoints name, or null without checkpoints
   * @param macsChecked      whether their MACs were recomputed with the verification key
   */
  record Seals(long checkpoints, long sealedThroughSeq, String keyId, boolean macsChecked) {
    /** A log without checkpoints, verified without a key. */
    public static final Seals NONE = new Seals(0, 0, null, false);
  }

  /**
   * Every record verified.
   *
   * @param records     number of records checked
   * @param firstSeq    seq of the first record (0 when there were none)
   * @param lastSeq     seq of the last record (0 when there were none)
   * @param fromGenesis whether the first record is the first ever ({@code prev} all zeros); when false, older
   *                    files were deleted by retention and the first link cannot be checked
   * @param seals       what the checkpoints showed
   * @param anchorsChecked anchors found in the log with their hash (anchors older than its first record cannot be)
   */
  record Intact(long records, long firstSeq, long lastSeq, boolean fromGenesis, Seals seals, int anchorsChecked)
      implements AuditVerification {

    /** A log without checkpoints, verified without key or anchors. */
    public Intact(long records, long firstSeq, long lastSeq, boolean fromGenesis) {
      this(records, firstSeq, lastSeq, fromGenesis, Seals.NONE, 0);
    }

    @Override
    public boolean ok() {
      return true;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("ok", true).put("records", records).put("first_seq", firstSeq)
          .put("last_seq", lastSeq).put("from_genesis", fromGenesis)
          .put("checkpoints", seals.checkpoints()).put("sealed_through_seq", seals.sealedThroughSeq())
          .put("unsealed_records", lastSeq - Math.max(seals.sealedThroughSeq(), firstSeq - 1))
          .put("key_id", seals.keyId()).put("seals_checked", seals.macsChecked())
          .put("anchors_checked", anchorsChecked);
    }
  }

  /**
   * The first record that breaks the chain.
   *
   * @param file   the file holding it
   * @param line   its line number in that file (1-based; 0 when the file itself could not be read)
   * @param seq    its {@code seq} when the line could be read as JSON
   * @param reason "hash mismatch", "prev does not match the previous record", "not valid JSON", "seq gap",
   *               "unreadable file: ...", or what a checkpoint or an anchor shows (AUD-5)
   * @param recordsBefore records that verified before it
   */
  record Broken(Path file, long line, OptionalLong seq, String reason, long recordsBefore) implements AuditVerification {
    @Override
    public boolean ok() {
      return false;
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("ok", false).put("file", file.toString()).put("line", line);
      seq.ifPresent(s -> json.put("seq", s));
      return json.put("reason", reason).put("records_before", recordsBefore);
    }

    @Override
    public String toString() {
      return file + ":" + line + (seq.isPresent() ? " (seq " + seq.getAsLong() + ")" : "") + ": " + reason;
    }
  }
}
