package io.linuxpatch.audit.seal;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What the agent keeps between checkpoints (AUD-5): the key of the next epoch to seal, which key lineage it
 * belongs to and the MAC of the last checkpoint (the next one covers it). Only the current key is ever stored.
 *
 * @param keyId   {@link SealKey#keyId()} of the lineage's initial key
 * @param key     the key of the next checkpoint's epoch
 * @param prevMac MAC of the last checkpoint written, {@link Checkpoint#NO_PREVIOUS_MAC} before the first
 */
public record SealState(String keyId, SealKey key, String prevMac) {

  static final String FORMAT = "lpa-audit-seal-v1";

  /** The state after {@code checkpoint} was written: the next epoch's key, its MAC as the previous one. */
  SealState after(Checkpoint checkpoint) {
    return new SealState(keyId, key.next(), checkpoint.mac());
  }

  JsonObject toJson() {
    byte[] bytes = key.bytes();
    try {
      return new JsonObject().put("format", FORMAT).put("key_id", keyId).put("epoch", key.epoch())
          .put("key", HexFormat.of().formatHex(bytes)).put("prev_mac", prevMac);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  static SealState fromJson(JsonObject json) {
    if (!FORMAT.equals(json.getString("format"))) {
      throw new IllegalArgumentException("unknown format " + json.getString("format"));
    }
    byte[] bytes = HexFormat.of().parseHex(json.getString("key"));
    try {
      return new SealState(json.getString("key_id"), SealKey.of(json.getLong("epoch"), bytes),
          json.getString("prev_mac"));
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
