package io.linuxpatch.audit.seal;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * The verifier's walk over the checkpoints of a log (AUD-5), record by record in chain order. Without a key it
 * checks their structure: each seals the record just before it, epochs follow 0, 1, 2… without a gap, each
 * names the previous one's MAC, and a log that starts from the genesis record starts at epoch 0. With the
 * off-host {@link VerificationKey} it also recomputes every MAC with the epoch's key, derived forward from k0.
 */
public final class SealCheck {

  private final VerificationKey key;
  /** The derived key of the last checked epoch (stepped forward, never back). */
  private SealKey derived;
  private Checkpoint last;
  private long lastCheckpointSeq;
  private long checkpoints;

  /** @param key the verification key, or null to check structure only */
  public SealCheck(VerificationKey key) {
    this.key = key;
  }

  /**
   * Checks one record (already known to be intact and chained); returns why it breaks the sealing, or empty.
   *
   * @param seq         the record's seq
   * @param prev        the record's prev (the hash of the record before it)
   * @param fromGenesis whether the log starts at the very first record ever written
   */
  public Optional<String> check(JsonObject record, long seq, String prev, boolean fromGenesis) {
    if (!Checkpoint.claimed(record)) {
      return Optional.empty();
    }
    Optional<Checkpoint> parsed = Checkpoint.of(record);
    if (parsed.isEmpty()) {
      return Optional.of("malformed checkpoint");
    }
    Checkpoint checkpoint = parsed.get();
    if (checkpoint.sealedSeq() != seq - 1 || !checkpoint.sealedHash().equals(prev)) {
      return Optional.of("the checkpoint does not seal the record before it");
    }
    if (last == null) {
      if (fromGenesis && checkpoint.epoch() != 0) {
        return Optional.of("the log starts from its first record ever but its first checkpoint is epoch "
            + checkpoint.epoch() + ": it was started over, earlier records and checkpoints are missing");
      }
      if (checkpoint.epoch() == 0 && !Checkpoint.NO_PREVIOUS_MAC.equals(checkpoint.prevMac())) {
        return Optional.of("the checkpoint of epoch 0 names a previous one");
      }
      if (key != null && !key.keyId().equals(checkpoint.keyId())) {
        return Optional.of("sealed with another key (key id " + checkpoint.keyId() + "; the key given is "
            + key.keyId() + ")");
      }
    } else {
      if (!checkpoint.keyId().equals(last.keyId())) {
        return Optional.of("the sealing key changes here (key id " + checkpoint.keyId() + " after "
            + last.keyId() + "): the sealing state was replaced");
      }
      if (checkpoint.epoch() != last.epoch() + 1) {
        return Optional.of("checkpoint epoch " + checkpoint.epoch() + " follows epoch " + last.epoch()
            + ": checkpoints are missing (the log was cut back, started over or spliced)");
      }
      if (!checkpoint.prevMac().equals(last.mac())) {
        return Optional.of("the checkpoint does not name the previous checkpoint's MAC");
      }
    }
    if (key != null) {
      // The verifier runs where the key is trusted (off the host): derived keys are not erased here.
      SealKey epochKey = (derived == null ? key.initial() : derived).forwardTo(checkpoint.epoch());
      derived = epochKey;
      if (!checkpoint.sealedBy(epochKey)) {
        return Optional.of("the seal of epoch " + checkpoint.epoch() + " does not verify: records up to seq "
            + checkpoint.sealedSeq() + " were changed after they were sealed, or the checkpoint was forged");
      }
    }
    last = checkpoint;
    lastCheckpointSeq = seq;
    checkpoints++;
    return Optional.empty();
  }

  public long checkpoints() {
    return checkpoints;
  }

  /** Seq of the last checkpoint (everything up to it is sealed), 0 when there was none. */
  public long sealedThroughSeq() {
    return lastCheckpointSeq;
  }

  /** Key id of the checkpoints seen, or null. */
  public String keyId() {
    return last == null ? null : last.keyId();
  }

  /** Whether MACs were recomputed (a key was given). */
  public boolean macsChecked() {
    return key != null;
  }
}
