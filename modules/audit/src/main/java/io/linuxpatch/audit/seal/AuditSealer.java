package io.linuxpatch.audit.seal;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the sealed checkpoints of one audit log (AUD-5) and steps the key forward after each: the checkpoint
 * is written first (durable), then the next epoch's key is stored and the old one erased. A crash between the
 * two leaves that checkpoint as the newest record of the log; {@link #reconcile} finishes the step at the next
 * start, so no epoch is used twice. Owned by the audit verticle's single thread; blocking.
 */
public final class AuditSealer {

  private static final Logger LOG = LoggerFactory.getLogger(AuditSealer.class);

  private final SealStore store;
  private SealState state;
  private boolean reconciled;
  /** The last stored step failed: memory is ahead of the state file until a later save succeeds. */
  private String unsaved;

  private AuditSealer(SealStore store, SealState state) {
    this.store = store;
    this.state = state;
  }

  /**
   * Loads the sealing state, or starts a new key lineage when there is none: its initial key is written once to
   * {@code verification-key-<key id>.json} for the operator to move off the host, which the log says at every
   * start while the file is still there.
   */
  public static AuditSealer start(SealStore store, SecureRandom random, Instant now) throws IOException {
    Optional<SealState> loaded = store.load();
    SealState state;
    if (loaded.isPresent()) {
      state = loaded.get();
    } else {
      SealStore.Enrolment enrolment = store.enrol(random, now);
      state = enrolment.state();
      LOG.warn("Audit sealing: a new key (id {}) seals the audit log from now on. Its verification key is in {} "
          + "(mode 0600): move that file off this host now (a vault, the fleet's secret store) and delete it here; "
          + "whoever reads it can forge seals. Check the log with `linux-patch-api audit verify --key FILE LOG_DIR`",
          state.keyId(), enrolment.verificationKey());
      return new AuditSealer(store, state);
    }
    for (Path left : store.verificationKeysOnHost()) {
      LOG.warn("Audit sealing: the verification key {} is still on this host; move it off-host and delete it here "
          + "(whoever reads it can forge seals)", left);
    }
    return new AuditSealer(store, state);
  }

  /** Epoch of the next checkpoint. */
  public long epoch() {
    return state.key().epoch();
  }

  public String keyId() {
    return state.keyId();
  }

  /** Null, or why the last key step could not be stored. */
  public String unsaved() {
    return unsaved;
  }

  /**
   * Finishes a key step that a crash interrupted: when the newest record on disk at start ({@code lastRecord}) is
   * a checkpoint of the stored epoch and key, the key steps forward now. Looks only once, before the first
   * checkpoint of this run.
   */
  public void reconcile(Optional<JsonObject> lastRecord) {
    if (reconciled) {
      return;
    }
    reconciled = true;
    lastRecord.flatMap(Checkpoint::of)
        .filter(c -> c.keyId().equals(state.keyId()) && c.epoch() == state.key().epoch() && c.sealedBy(state.key()))
        .ifPresent(c -> {
          LOG.info("Audit sealing: checkpoint epoch {} was written but the key step after it was not stored (crash); "
              + "stepping the key now", c.epoch());
          written(c);
        });
  }

  /** The checkpoint to append now over the chain head {@code sealedSeq}/{@code sealedHash}. */
  public Checkpoint next(long sealedSeq, String sealedHash, Instant now, String reason) {
    String time = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.MILLIS));
    return Checkpoint.seal(state.key(), state.keyId(), sealedSeq, sealedHash, time, state.prevMac(), reason);
  }

  /**
   * {@code checkpoint} is on disk: the key steps to the next epoch, the step is stored and the old key erased.
   * The step happens in memory even when storing it fails (so no epoch is sealed twice in this run); the failure
   * is reported by {@link #unsaved()} and the next step stores again.
   */
  public void written(Checkpoint checkpoint) {
    SealState next = state.after(checkpoint);
    SealKey old = state.key();
    state = next;
    try {
      store.save(next);
      unsaved = null;
    } catch (IOException e) {
      unsaved = e.toString();
      LOG.error("Audit sealing: the key of epoch {} could not be stored in {} ({}); a crash before the next "
          + "checkpoint would make the verifier see epoch {} twice", next.key().epoch(), store.directory(),
          e.toString(), checkpoint.epoch());
    }
    old.erase();
  }
}
