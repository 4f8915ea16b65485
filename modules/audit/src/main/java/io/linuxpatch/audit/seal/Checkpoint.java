package io.linuxpatch.audit.seal;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * A sealed checkpoint (AUD-5): an ordinary, hash-chained audit record ({@code "event": "audit_checkpoint"})
 * that states the head of the chain before it ({@code sealed_seq}, {@code sealed_hash}) and carries a MAC made
 * with the key of its {@code epoch}. Epochs count checkpoints: 0, 1, 2… with no gap, each MAC also covering the
 * previous checkpoint's ({@code prev_mac}), so removing, reordering or re-making a checkpoint needs a key of
 * that epoch, which was erased when the next epoch began.
 *
 * <p>MAC input (UTF-8): {@code lpa-audit-seal-v1|key_id|epoch|sealed_seq|sealed_hash|time|prev_mac}.
 *
 * @param time       the record's {@code time}, covered by the MAC
 * @param reason     why it was written (start, interval, records, stop); informational, covered by the chain only
 */
public record Checkpoint(String keyId, long epoch, long sealedSeq, String sealedHash, String time, String prevMac,
    String mac, String reason) {

  /** The {@code event} of a checkpoint record. */
  public static final String EVENT = "audit_checkpoint";
  /** {@code prev_mac} of epoch 0. */
  public static final String NO_PREVIOUS_MAC = "0".repeat(64);
  private static final String FORMAT = "lpa-audit-seal-v1";

  /** A checkpoint of {@code key}'s epoch over the chain head ({@code sealedSeq}, {@code sealedHash}). */
  public static Checkpoint seal(SealKey key, String keyId, long sealedSeq, String sealedHash, String time,
      String prevMac, String reason) {
    Checkpoint unsealed = new Checkpoint(keyId, key.epoch(), sealedSeq, sealedHash, time, prevMac, null, reason);
    return new Checkpoint(keyId, key.epoch(), sealedSeq, sealedHash, time, prevMac, key.mac(unsealed.macInput()),
        reason);
  }

  /** The bytes the MAC covers. */
  public byte[] macInput() {
    return String.join("|", FORMAT, keyId, Long.toString(epoch), Long.toString(sealedSeq), sealedHash, time, prevMac)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Whether {@code key} (of this checkpoint's epoch) made this MAC. */
  public boolean sealedBy(SealKey key) {
    return key.epoch() == epoch && MessageDigest.isEqual(
        key.mac(macInput()).getBytes(StandardCharsets.US_ASCII), String.valueOf(mac).getBytes(StandardCharsets.US_ASCII));
  }

  /** The record to append to the audit log (the chain adds seq, prev and hash). */
  public JsonObject toRecord() {
    return new JsonObject().put("time", time).put("event", EVENT).put("reason", reason).put("key_id", keyId)
        .put("epoch", epoch).put("sealed_seq", sealedSeq).put("sealed_hash", sealedHash).put("prev_mac", prevMac)
        .put("mac", mac);
  }

  /** The checkpoint a record holds, or empty when the record is not a (well-formed) checkpoint. */
  public static Optional<Checkpoint> of(JsonObject record) {
    if (!EVENT.equals(record.getValue("event"))) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Checkpoint(record.getString("key_id"), record.getLong("epoch"),
          record.getLong("sealed_seq"), record.getString("sealed_hash"), record.getString("time"),
          record.getString("prev_mac"), record.getString("mac"), record.getString("reason")))
          .filter(c -> c.keyId != null && c.sealedHash != null && c.time != null && c.prevMac != null && c.mac != null);
    } catch (ClassCastException | NullPointerException malformed) {
      return Optional.empty();
    }
  }

  /** Whether a record is meant as a checkpoint (its event says so), well-formed or not. */
  public static boolean claimed(JsonObject record) {
    return EVENT.equals(record.getValue("event"));
  }
}
