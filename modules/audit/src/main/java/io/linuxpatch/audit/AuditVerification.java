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
   * Every record verified.
   *
   * @param records     number of records checked
   * @param firstSeq    seq of the first record (0 when there were none)
   * @param lastSeq     seq of the last record (0 when there were none)
   * @param fromGenesis whether the first record is the first ever ({@code prev} all zeros); when false, older
   *                    files were deleted by retention and the first link cannot be checked
   */
  record Intact(long records, long firstSeq, long lastSeq, boolean fromGenesis) implements AuditVerification {
    @Override
    public boolean ok() {
      return true;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("ok", true).put("records", records).put("first_seq", firstSeq)
          .put("last_seq", lastSeq).put("from_genesis", fromGenesis);
    }
  }

  /**
   * The first record that breaks the chain.
   *
   * @param file   the file holding it
   * @param line   its line number in that file (1-based; 0 when the file itself could not be read)
   * @param seq    its {@code seq} when the line could be read as JSON
   * @param reason "hash mismatch", "prev does not match the previous record", "not valid JSON", "seq gap"
   *               or "unreadable file: ..."
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
