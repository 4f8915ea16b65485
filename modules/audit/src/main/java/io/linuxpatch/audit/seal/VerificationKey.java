package io.linuxpatch.audit.seal;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The initial sealing key {@code k0} of one audit log, as exported once at enrolment and kept off the host
 * (AUD-5): {@code {"format": "lpa-audit-seal-v1", "key_id": …, "key": 64 hex digits, "created_at": …}}. With it
 * the verifier derives every epoch's key and checks each checkpoint. It can also forge them (a MAC is
 * symmetric): keep it in a vault, not on the audited host.
 */
public record VerificationKey(String keyId, SealKey initial) {

  public VerificationKey {
    if (initial.epoch() != 0) {
      throw new IllegalArgumentException("a verification key is the key of epoch 0");
    }
  }

  /** Reads an exported key file. */
  public static VerificationKey read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8).trim();
    try {
      JsonObject json = new JsonObject(text);
      if (!SealState.FORMAT.equals(json.getString("format"))) {
        throw new IllegalArgumentException("format is not " + SealState.FORMAT);
      }
      SealKey k0 = SealKey.of(0, HexFormat.of().parseHex(json.getString("key")));
      if (!k0.keyId().equals(json.getString("key_id"))) {
        throw new IllegalArgumentException("key_id does not match the key");
      }
      return new VerificationKey(k0.keyId(), k0);
    } catch (DecodeException | IllegalArgumentException | NullPointerException | ClassCastException bad) {
      throw new IOException(file + " is not an audit verification key (" + bad.getMessage() + ")", bad);
    }
  }

  JsonObject toJson() {
    return new JsonObject().put("format", SealState.FORMAT).put("key_id", keyId)
        .put("key", HexFormat.of().formatHex(initial.bytes()));
  }
}
