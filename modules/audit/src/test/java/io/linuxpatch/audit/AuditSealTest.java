package io.linuxpatch.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.linuxpatch.audit.seal.AuditSealer;
import io.linuxpatch.audit.seal.Checkpoint;
import io.linuxpatch.audit.seal.SealKey;
import io.linuxpatch.audit.seal.SealStore;
import io.linuxpatch.audit.seal.VerificationKey;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * AUD-5, attack by attack (the module README's detection matrix): what the plain chain, the sealed checkpoints
 * (with and without the off-host key) and the anchors kept outside the file each catch, and what they do not.
 * The log is written by the real {@link AuditWriter} and {@link AuditSealer}; the attacker edits the files.
 */
@Tag("AUD-5")
class AuditSealTest {

  @TempDir
  Path dir;
  private Path log;
  private Path sealDir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private AuditWriter writer;
  private AuditSealer sealer;
  private final ListAppender<ILoggingEvent> sealerLog = new ListAppender<>();

  @BeforeEach
  void open() throws Exception {
    log = dir.resolve("log/audit.jsonl");
    sealDir = dir.resolve("data/audit-seal");
    sealerLog.start();
    ((Logger) LoggerFactory.getLogger(AuditSealer.class)).addAppender(sealerLog);
    reopen();
  }

  @AfterEach
  void close() throws Exception {
    ((Logger) LoggerFactory.getLogger(AuditSealer.class)).detachAppender(sealerLog);
    writer.close();
  }

  /** What a restart of the agent does: a new writer on the same file, the sealer from its stored state. */
  private void reopen() throws Exception {
    if (writer != null) {
      writer.close();
    }
    writer = new AuditWriter(log, 30, clock);
    sealer = AuditSealer.start(new SealStore(sealDir), new SecureRandom(), clock.instant());
  }

  private void records(int n) throws Exception {
    for (int i = 0; i < n; i++) {
      writer.append(new JsonObject().put("event", "request").put("n", i), true);
    }
  }

  /** What the audit verticle does for a checkpoint. */
  private Checkpoint checkpoint() throws Exception {
    Checkpoint checkpoint = written();
    sealer.written(checkpoint);
    return checkpoint;
  }

  /** The checkpoint on disk, the key step after it not done (a crash in between). */
  private Checkpoint written() throws Exception {
    AuditChain head = writer.head();
    sealer.reconcile(writer.recordAtOpen());
    Checkpoint checkpoint = sealer.next(head.seq(), head.hash(), clock.instant(), "test");
    writer.append(checkpoint.toRecord(), true);
    return checkpoint;
  }

  private VerificationKey key() throws Exception {
    try (Stream<Path> files = Files.list(sealDir)) {
      return VerificationKey.read(files.filter(f -> f.getFileName().toString().startsWith("verification-key-"))
          .sorted().findFirst().orElseThrow());
    }
  }

  private AuditVerification verify(VerificationKey key, Anchor... anchors) {
    return new AuditVerifier(key, List.of(anchors)).verify(List.of(log));
  }

  private static String reason(AuditVerification result) {
    assertThat(result).isInstanceOf(AuditVerification.Broken.class);
    return ((AuditVerification.Broken) result).reason();
  }

  private List<JsonObject> lines() throws Exception {
    return Files.readAllLines(log).stream().map(JsonObject::new).toList();
  }

  private JsonObject last() throws Exception {
    List<JsonObject> lines = lines();
    return lines.get(lines.size() - 1);
  }

  /**
   * The attacker without a key: edits records, then recomputes every hash after them (and each checkpoint's
   * sealed_hash, so that its structure still holds); MACs cannot be recomputed.
   */
  private void rechain(UnaryOperator<JsonObject> edit) throws Exception {
    AuditChain chain = AuditChain.GENESIS;
    List<String> out = new ArrayList<>();
    for (JsonObject record : lines()) {
      JsonObject fields = edit.apply(record.copy());
      fields.remove("seq");
      fields.remove("prev");
      fields.remove("hash");
      if (Checkpoint.claimed(fields)) {
        fields.put("sealed_seq", chain.seq()).put("sealed_hash", chain.hash());
      }
      AuditChain.Sealed sealed = chain.seal(fields, Instant.now());
      out.add(new String(sealed.line(), StandardCharsets.UTF_8));
      chain = sealed.next();
    }
    Files.write(log, out);
  }

  @Test
  @DisplayName("a sealed log verifies with its key: every checkpoint's MAC recomputed, epochs 0, 1, 2 in order")
  void intact() throws Exception {
    records(3);
    checkpoint();
    records(2);
    checkpoint();
    records(1);
    AuditVerification result = verify(key());
    assertThat(result.ok()).as(result.toString()).isTrue();
    AuditVerification.Intact intact = (AuditVerification.Intact) result;
    assertThat(intact.seals()).isEqualTo(new AuditVerification.Seals(2, 7, sealer.keyId(), true));
    assertThat(intact.toJson().getLong("unsealed_records")).isEqualTo(1);
    assertThat(lines().stream().filter(Checkpoint::claimed).map(r -> r.getLong("epoch"))).containsExactly(0L, 1L);
  }

  @Test
  @DisplayName("a rewritten file with recomputed hashes: the chain passes, the key catches it at the first seal over the edit")
  void recomputedChain() throws Exception {
    records(3);
    checkpoint();
    records(2);
    Checkpoint second = checkpoint();
    long anchoredSeq = second.sealedSeq() + 1;
    String anchoredHash = last().getString("hash");
    rechain(r -> r.getLong("seq") == 2 ? r.put("status", 201) : r);

    assertThat(verify(null).ok()).as("the hash chain alone cannot tell").isTrue();
    AuditVerification.Broken broken = (AuditVerification.Broken) verify(key());
    assertThat(broken.seq()).hasValue(4);
    assertThat(broken.reason()).contains("seal of epoch 0 does not verify");
    assertThat(reason(verify(null, new Anchor(anchoredSeq, anchoredHash, "collector"))))
        .contains("differs from the anchor");
  }

  @Test
  @DisplayName("a removed last record: invisible to chain and seals (the window after the last checkpoint), caught by an anchor of the seq")
  void removedLastRecord() throws Exception {
    records(2);
    checkpoint();
    records(2);
    long lastSeq = last().getLong("seq");
    List<String> kept = Files.readAllLines(log);
    Files.write(log, kept.subList(0, kept.size() - 1));

    assertThat(verify(key()).ok()).as("the unsealed tail is not protected by the seals").isTrue();
    assertThat(reason(verify(key(), Anchor.parse(String.valueOf(lastSeq)))))
        .contains("ends at seq " + (lastSeq - 1)).contains("seq " + lastSeq + " is anchored");
  }

  @Test
  @DisplayName("a log cut back to an older checkpoint: the agent's next checkpoint has the next epoch of its key, so a gap shows, even without the key")
  void cutBackToAnOlderCheckpoint() throws Exception {
    records(2);
    checkpoint();
    int cut = lines().size();
    records(2);
    checkpoint();
    records(2);
    writer.close();
    List<String> all = Files.readAllLines(log);
    Files.write(log, all.subList(0, cut));
    assertThat(verify(key()).ok()).as("the cut itself leaves a valid prefix").isTrue();

    reopen();
    records(1);
    checkpoint();
    assertThat(reason(verify(null))).contains("checkpoint epoch 2 follows epoch 0");
  }

  @Test
  @DisplayName("a deleted log that restarts the chain: the sealing key lives elsewhere and is ahead, so the new log's first checkpoint gives it away")
  void deletedLogRestartsTheChain() throws Exception {
    records(3);
    checkpoint();
    records(1);
    long oldLastSeq = last().getLong("seq");
    writer.close();
    Files.delete(log);

    reopen();
    // What the verticle does at start: the log is new but the key has sealed before.
    assertThat(writer.head().seq()).isZero();
    assertThat(sealer.epoch()).isEqualTo(1);
    checkpoint();
    records(6);
    assertThat(reason(verify(null))).contains("first checkpoint is epoch 1").contains("started over");
    assertThat(reason(verify(null, Anchor.parse(String.valueOf(oldLastSeq)))))
        .as("an anchor of the old head sees another record at that seq or none").isNotBlank();
  }

  @Test
  @DisplayName("log and sealing state both deleted: a new key starts; only the off-host key (another key id) or an anchor tell")
  void deletedLogAndKeyState() throws Exception {
    records(3);
    Checkpoint old = checkpoint();
    VerificationKey oldKey = key();
    String anchoredHash = last().getString("hash");
    writer.close();
    Files.delete(log);
    try (Stream<Path> files = Files.list(sealDir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }

    reopen();
    records(3);
    checkpoint();
    assertThat(sealer.keyId()).isNotEqualTo(old.keyId());
    assertThat(verify(null).ok()).as("without the old key or an anchor: a fresh log, no proof").isTrue();
    assertThat(reason(verify(oldKey))).contains("sealed with another key");
    assertThat(reason(verify(null, new Anchor(old.sealedSeq() + 1, anchoredHash, "collector"))))
        .contains("differs from the anchor");
  }

  @Test
  @DisplayName("a rollback of log and key state to a copy: the seals still verify (a known limit); a newer anchor catches it")
  void rollbackToACopy() throws Exception {
    records(2);
    checkpoint();
    writer.close();
    Path savedLog = dir.resolve("saved.jsonl");
    Path savedState = dir.resolve("saved-state.json");
    Files.copy(log, savedLog);
    Files.copy(sealDir.resolve("state.json"), savedState);
    reopen();
    records(2);
    checkpoint();
    long newerSeq = last().getLong("seq");
    String newerHash = last().getString("hash");
    writer.close();
    Files.copy(savedLog, log, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(savedState, sealDir.resolve("state.json"), StandardCopyOption.REPLACE_EXISTING);
    // The agent runs on from the copy, later (what it writes now differs from what the anchor saw).
    clock.advance(java.time.Duration.ofMinutes(5));
    reopen();
    records(2);
    checkpoint();

    assertThat(verify(key()).ok()).isTrue();
    assertThat(reason(verify(key(), new Anchor(newerSeq, newerHash, "collector")))).contains("differs from the anchor");
  }

  @Test
  @DisplayName("a stolen current key forges from its epoch on, but cannot re-seal earlier epochs (forward security)")
  void stolenKeyCannotResealThePast() throws Exception {
    records(2);
    checkpoint();
    records(2);
    checkpoint();
    records(2);
    // The thief's copy of the state: the key of epoch 2 and the last MAC.
    JsonObject stolen = new JsonObject(Files.readString(sealDir.resolve("state.json")));
    SealKey thiefKey = SealKey.of(stolen.getLong("epoch"), java.util.HexFormat.of().parseHex(stolen.getString("key")));
    assertThat(thiefKey.epoch()).isEqualTo(2);

    // A record of the current epoch, edited and sealed with the stolen key: it verifies (a known limit).
    long lastSeq = last().getLong("seq");
    rechain(r -> r.getLong("seq") == lastSeq ? r.put("n", 99) : r);
    appendForged(thiefKey, stolen);
    assertThat(verify(key()).ok()).isTrue();

    // A record sealed by epoch 0: its checkpoint cannot be re-made without the erased key of epoch 0.
    rechain(r -> r.getLong("seq") == 1 ? r.put("n", 99) : r);
    assertThat(reason(verify(key()))).contains("seal of epoch 0 does not verify");
  }

  /** The thief appends a checkpoint of the stolen epoch over the file's head. */
  private void appendForged(SealKey key, JsonObject stolenState) throws Exception {
    JsonObject tail = last();
    Checkpoint forged = Checkpoint.seal(key, stolenState.getString("key_id"), tail.getLong("seq"),
        tail.getString("hash"), "2026-03-01T10:00:00.000Z", stolenState.getString("prev_mac"), "interval");
    AuditChain.Sealed sealed = new AuditChain(tail.getLong("seq"), tail.getString("hash"))
        .seal(forged.toRecord(), Instant.now());
    Files.writeString(log, new String(sealed.line(), StandardCharsets.UTF_8) + "\n",
        java.nio.file.StandardOpenOption.APPEND);
  }

  @Test
  @DisplayName("a crash between a checkpoint and the stored key step: the next start finishes the step, no epoch is used twice")
  void crashBetweenCheckpointAndKeyStep() throws Exception {
    records(2);
    Checkpoint interrupted = written();
    writer.close();
    reopen();
    assertThat(sealer.epoch()).as("stored state before the step").isEqualTo(interrupted.epoch());
    records(1);
    Checkpoint next = checkpoint();
    assertThat(next.epoch()).isEqualTo(interrupted.epoch() + 1);
    AuditVerification result = verify(key());
    assertThat(result.ok()).as(result.toString()).isTrue();
  }

  @Test
  @DisplayName("the initial key is exported once, 0600, with a line telling the operator to move it off-host; later starts remind while it stays")
  void verificationKeyExport() throws Exception {
    Path exported;
    try (Stream<Path> files = Files.list(sealDir)) {
      exported = files.filter(f -> f.getFileName().toString().startsWith("verification-key-")).findFirst().orElseThrow();
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(exported))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sealDir.resolve("state.json"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sealDir))).isEqualTo("rwx------");
    JsonObject json = new JsonObject(Files.readString(exported));
    assertThat(json.getString("format")).isEqualTo("lpa-audit-seal-v1");
    assertThat(json.getString("key")).hasSize(64);
    assertThat(exported.getFileName().toString()).isEqualTo("verification-key-" + sealer.keyId() + ".json");
    assertThat(messages()).anySatisfy(m -> assertThat(m).contains(exported.toString()).contains("off this host"));
    // The state never holds k0 once the first checkpoint has stepped it.
    records(1);
    checkpoint();
    assertThat(Files.readString(sealDir.resolve("state.json"))).doesNotContain(json.getString("key"));

    sealerLog.list.clear();
    reopen();
    assertThat(messages()).anySatisfy(m -> assertThat(m).contains(exported.toString()).contains("still on this host"));
    Files.move(exported, dir.resolve("vault.json"));
    sealerLog.list.clear();
    reopen();
    assertThat(messages()).isEmpty();
    assertThat(verify(VerificationKey.read(dir.resolve("vault.json"))).ok()).isTrue();
  }

  private List<String> messages() {
    return sealerLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  @DisplayName("key evolution: one way, deterministic, seekable forward; erase overwrites the bytes")
  void keyEvolution() {
    byte[] k0 = new byte[32];
    new SecureRandom().nextBytes(k0);
    SealKey initial = SealKey.of(0, k0);
    SealKey stepped = initial.next().next().next();
    assertThat(stepped.epoch()).isEqualTo(3);
    byte[] message = "m".getBytes(StandardCharsets.US_ASCII);
    assertThat(initial.forwardTo(3).mac(message)).isEqualTo(stepped.mac(message));
    assertThat(initial.mac(message)).isNotEqualTo(stepped.mac(message));
    assertThat(SealKey.of(0, k0).keyId()).isEqualTo(initial.keyId()).hasSize(16);
    stepped.erase();
    assertThat(stepped.bytes()).containsOnly(0);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> stepped.forwardTo(1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("anchors from a collector's file: checkpoint records in syslog lines or JSON lines; other records are not anchors")
  void anchorsFromAFile() throws Exception {
    records(2);
    checkpoint();
    records(1);
    List<String> received = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      received.add("<38>Mar  1 10:00:00 host linux-patch-api: " + line);
    }
    received.add("garbage without json");
    Path collected = dir.resolve("collected.log");
    Files.write(collected, received);
    List<Anchor> anchors = Anchor.checkpointsIn(collected);
    assertThat(anchors).hasSize(1);
    assertThat(anchors.get(0).seq()).isEqualTo(3);
    assertThat(anchors.get(0).hash()).isEqualTo(lines().get(2).getString("hash"));

    List<String> kept = Files.readAllLines(log);
    Files.write(log, kept.subList(0, 2));
    assertThat(reason(new AuditVerifier(null, anchors).verify(List.of(log)))).contains("seq 3 is anchored");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Anchor.parse("12:XYZ"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
