package io.linuxpatch.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditWriterTest {

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2024-03-01T10:00:00Z"));

  private AuditWriter writer() {
    return new AuditWriter(dir.resolve("audit.jsonl"), 30, clock);
  }

  @Test
  @DisplayName("A log of five records verifies, starting from the genesis record with seq 1 and prev all zeros")
  void fiveRecordsVerify() throws Exception {
    try (AuditWriter writer = writer()) {
      for (int i = 0; i < 5; i++) {
        writer.append(new JsonObject().put("event", "request").put("n", i), i % 2 == 0);
      }
    }
    List<String> lines = Files.readAllLines(dir.resolve("audit.jsonl"));
    assertThat(lines).hasSize(5);
    JsonObject first = new JsonObject(lines.get(0));
    assertThat(first.getLong("seq")).isEqualTo(1);
    assertThat(first.getString("prev")).isEqualTo(AuditChain.GENESIS_HASH);
    assertThat(first.getString("time")).isEqualTo("2024-03-01T10:00:00Z");
    assertThat(first.fieldNames()).containsExactly("time", "event", "n", "seq", "prev", "hash");
    assertThat(new AuditVerifier().verify(List.of(dir.resolve("audit.jsonl"))))
        .isEqualTo(new AuditVerification.Intact(5, 1, 5, true));
  }

  @Test
  @DisplayName("The hash is the SHA-256 of the line without its hash member, and a caller's seq/prev/hash are replaced")
  void canonicalHash() throws Exception {
    AuditChain.Sealed sealed = AuditChain.GENESIS.seal(
        new JsonObject().put("hash", "forged").put("seq", 99).put("event", "x").put("time", "2024-01-01T00:00:00Z"),
        Instant.EPOCH);
    String line = new String(sealed.line(), StandardCharsets.UTF_8);
    String canonical = "{\"time\":\"2024-01-01T00:00:00Z\",\"event\":\"x\",\"seq\":1,\"prev\":\"" + AuditChain.GENESIS_HASH + "\"}";
    assertThat(line).isEqualTo(canonical.substring(0, canonical.length() - 1)
        + ",\"hash\":\"" + AuditChain.sha256(canonical.getBytes(StandardCharsets.UTF_8)) + "\"}");
    assertThat(sealed.json().encode()).isEqualTo(line);
  }

  @Test
  @DisplayName("CR, LF and ANSI escapes in a client CN stay inside one valid line that verifies and reads back unchanged")
  void controlCharactersStayInOneLine() throws Exception {
    String cn = "evil\r\n{\"x\":1}\u001b[31m";
    try (AuditWriter writer = writer()) {
      writer.append(new JsonObject().put("client", cn), true);
    }
    byte[] bytes = Files.readAllBytes(dir.resolve("audit.jsonl"));
    long newlines = new String(bytes, StandardCharsets.UTF_8).chars().filter(c -> c == '\n').count();
    long carriageReturnsOrEscapes = new String(bytes, StandardCharsets.UTF_8).chars().filter(c -> c == '\r' || c == 0x1b).count();
    assertThat(newlines).isEqualTo(1);
    assertThat(carriageReturnsOrEscapes).isZero();
    assertThat(new JsonObject(Files.readAllLines(dir.resolve("audit.jsonl")).get(0)).getString("client")).isEqualTo(cn);
    assertThat(new AuditVerifier().verify(List.of(dir.resolve("audit.jsonl"))).ok()).isTrue();
  }

  @Test
  @DisplayName("A new writer on the same file continues the chain: seq and prev follow the last record on disk")
  void continuesAfterRestart() throws Exception {
    try (AuditWriter writer = writer()) {
      writer.append(new JsonObject().put("event", "a"), true);
      writer.append(new JsonObject().put("event", "b"), false);
    }
    try (AuditWriter writer = writer()) {
      assertThat(writer.append(new JsonObject().put("event", "c"), true).next().seq()).isEqualTo(3);
    }
    assertThat(new AuditVerifier().verify(List.of(dir.resolve("audit.jsonl"))))
        .isEqualTo(new AuditVerification.Intact(3, 1, 3, true));
  }

  @Test
  @DisplayName("A torn last line left by a crash is cut off on restart so the chain continues from the last whole record")
  void tornTailIsCut() throws Exception {
    try (AuditWriter writer = writer()) {
      writer.append(new JsonObject().put("event", "a"), true);
    }
    Files.writeString(dir.resolve("audit.jsonl"), "{\"time\":\"2024-03-01T10:", java.nio.file.StandardOpenOption.APPEND);
    try (AuditWriter writer = writer()) {
      assertThat(writer.append(new JsonObject().put("event", "b"), true).next().seq()).isEqualTo(2);
    }
    assertThat(new AuditVerifier().verify(List.of(dir.resolve("audit.jsonl"))).ok()).isTrue();
  }

  @Test
  @DisplayName("The audit file is created with mode 0600, and an existing file with looser mode is tightened")
  void ownerOnly() throws Exception {
    Files.writeString(dir.resolve("other.jsonl"), "");
    Files.setPosixFilePermissions(dir.resolve("other.jsonl"), PosixFilePermissions.fromString("rw-r--r--"));
    try (AuditWriter writer = writer(); AuditWriter other = new AuditWriter(dir.resolve("other.jsonl"), 30, clock)) {
      writer.append(new JsonObject(), true);
      other.append(new JsonObject(), true);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("audit.jsonl")))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("other.jsonl")))).isEqualTo("rw-------");
  }

  @Test
  @DisplayName("A durable record is in the file when append returns; a buffered one only after flush")
  void durableVersusBuffered() throws Exception {
    try (AuditWriter writer = writer()) {
      writer.append(new JsonObject().put("event", "read"), false);
      assertThat(Files.size(dir.resolve("audit.jsonl"))).isZero();
      assertThat(writer.flush()).isTrue();
      assertThat(Files.readAllLines(dir.resolve("audit.jsonl"))).hasSize(1);
      writer.append(new JsonObject().put("event", "mutation"), true);
      assertThat(Files.readAllLines(dir.resolve("audit.jsonl"))).hasSize(2);
      assertThat(writer.recordsWritten()).isEqualTo(2);
    }
  }
}
