package io.linuxpatch.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTamperTest {

  @TempDir
  Path dir;

  private Path log;
  private byte[] original;

  @BeforeEach
  void writeThreeRecords() throws Exception {
    log = dir.resolve("audit.jsonl");
    try (AuditWriter writer = new AuditWriter(log, 30, new MutableClock(Instant.parse("2024-03-01T10:00:00Z")))) {
      writer.append(new JsonObject().put("event", "request").put("client", "ops\u001b[0m").put("status", 202), true);
      writer.append(new JsonObject().put("event", "package_change").put("name", "curl").put("latency_ms", 1.5), true);
      writer.append(new JsonObject().put("event", "auth_failure").put("peer_ip", "192.0.2.7"), true);
    }
    original = Files.readAllBytes(log);
    assertThat(new AuditVerifier().verify(List.of(log)).ok()).isTrue();
  }

  @Test
  @DisplayName("Flipping any single bit of any byte makes verify fail at the record holding that byte or the next one")
  void everyBitFlipIsCaught() throws Exception {
    Path tampered = dir.resolve("tampered.jsonl");
    List<String> missed = new ArrayList<>();
    for (int at = 0; at < original.length; at++) {
      int lineOfByte = 1 + countNewlines(original, at);
      for (int bit = 0; bit < 8; bit++) {
        byte[] copy = original.clone();
        copy[at] ^= (byte) (1 << bit);
        Files.write(tampered, copy);
        AuditVerification result = new AuditVerifier().verify(List.of(tampered));
        if (!(result instanceof AuditVerification.Broken broken)
            || broken.line() < lineOfByte || broken.line() > lineOfByte + 1) {
          missed.add("byte " + at + " bit " + bit + ": " + result);
        }
      }
    }
    assertThat(missed).isEmpty();
  }

  @Test
  @DisplayName("A deleted line fails at the record after the gap, naming it")
  void deletedLine() throws Exception {
    List<String> lines = Files.readAllLines(log);
    Files.write(log, List.of(lines.get(0), lines.get(2)));
    AuditVerification.Broken broken = (AuditVerification.Broken) new AuditVerifier().verify(List.of(log));
    assertThat(broken.line()).isEqualTo(2);
    assertThat(broken.seq()).hasValue(3);
    assertThat(broken.reason()).isEqualTo("prev does not match the previous record");
    assertThat(broken.file()).isEqualTo(log);
  }

  @Test
  @DisplayName("Two swapped lines fail at the first moved record, naming it")
  void swappedLines() throws Exception {
    List<String> lines = Files.readAllLines(log);
    Files.write(log, List.of(lines.get(0), lines.get(2), lines.get(1)));
    AuditVerification.Broken broken = (AuditVerification.Broken) new AuditVerifier().verify(List.of(log));
    assertThat(broken.line()).isEqualTo(2);
    assertThat(broken.seq()).hasValue(3);
    assertThat(broken.reason()).isEqualTo("prev does not match the previous record");
  }

  @Test
  @DisplayName("An edit that keeps the JSON meaning (an escape in another case) is still a hash mismatch")
  void sameMeaningDifferentBytes() throws Exception {
    String text = new String(original, StandardCharsets.UTF_8);
    assertThat(text).contains("\\u001B");
    Files.writeString(log, text.replace("\\u001B", "\\u001b"));
    AuditVerification.Broken broken = (AuditVerification.Broken) new AuditVerifier().verify(List.of(log));
    assertThat(broken.line()).isEqualTo(1);
    assertThat(broken.reason()).isEqualTo("hash mismatch");
  }

  @Test
  @DisplayName("A line that is not JSON is reported as such with its line number")
  void notJson() throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(log));
    lines.set(1, "garbage");
    Files.write(log, lines);
    AuditVerification.Broken broken = (AuditVerification.Broken) new AuditVerifier().verify(List.of(log));
    assertThat(broken.line()).isEqualTo(2);
    assertThat(broken.seq()).isEmpty();
    assertThat(broken.reason()).isEqualTo("not valid JSON");
  }

  private static int countNewlines(byte[] bytes, int before) {
    int n = 0;
    for (int i = 0; i < before; i++) {
      if (bytes[i] == '\n') {
        n++;
      }
    }
    return n;
  }
}
