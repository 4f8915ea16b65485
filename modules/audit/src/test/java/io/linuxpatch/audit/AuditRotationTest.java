package io.linuxpatch.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditRotationTest {

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2024-03-01T10:00:00Z"));

  private void writeDays(AuditWriter writer, int days) throws Exception {
    for (int day = 0; day < days; day++) {
      if (day > 0) {
        clock.advance(Duration.ofDays(1));
      }
      writer.append(new JsonObject().put("event", "request").put("day", day), false);
      writer.append(new JsonObject().put("event", "job").put("day", day), true);
    }
  }

  private List<String> names() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  @DisplayName("Three days of records give two gzipped rotated files and a current file, and the chain verifies across all")
  void rotatesDaily() throws Exception {
    try (AuditWriter writer = new AuditWriter(dir.resolve("audit.jsonl"), 30, clock)) {
      writeDays(writer, 3);
    }
    assertThat(names()).containsExactly("audit-2024-03-01.jsonl.gz", "audit-2024-03-02.jsonl.gz", "audit.jsonl");
    List<Path> files = AuditVerifier.filesOldestFirst(dir);
    assertThat(files).extracting(p -> p.getFileName().toString())
        .containsExactly("audit-2024-03-01.jsonl.gz", "audit-2024-03-02.jsonl.gz", "audit.jsonl");
    assertThat(new AuditVerifier().verify(files)).isEqualTo(new AuditVerification.Intact(6, 1, 6, true));

    String lastOfDay2;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(files.get(1)))) {
      List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      lastOfDay2 = new JsonObject(lines.get(lines.size() - 1)).getString("hash");
    }
    JsonObject firstOfDay3 = new JsonObject(Files.readAllLines(dir.resolve("audit.jsonl")).get(0));
    assertThat(firstOfDay3.getString("prev")).isEqualTo(lastOfDay2);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(0)))).isEqualTo("rw-------");
  }

  @Test
  @DisplayName("A writer restarted after rotation continues the chain from the rotated file")
  void restartAfterRotation() throws Exception {
    try (AuditWriter writer = new AuditWriter(dir.resolve("audit.jsonl"), 30, clock)) {
      writeDays(writer, 2);
    }
    clock.advance(Duration.ofDays(1));
    try (AuditWriter writer = new AuditWriter(dir.resolve("audit.jsonl"), 30, clock)) {
      assertThat(writer.append(new JsonObject(), true).next().seq()).isEqualTo(5);
    }
    // The restarted writer rotated the day-2 file itself because its records are from another date.
    assertThat(names()).containsExactly("audit-2024-03-01.jsonl.gz", "audit-2024-03-02.jsonl.gz", "audit.jsonl");
    assertThat(new AuditVerifier().verify(AuditVerifier.filesOldestFirst(dir)).ok()).isTrue();
  }

  @Test
  @DisplayName("Rotated files older than retention_days are deleted and the remaining chain still verifies")
  void retention() throws Exception {
    try (AuditWriter writer = new AuditWriter(dir.resolve("audit.jsonl"), 2, clock)) {
      writeDays(writer, 5);
    }
    assertThat(names()).containsExactly("audit-2024-03-03.jsonl.gz", "audit-2024-03-04.jsonl.gz", "audit.jsonl");
    AuditVerification result = new AuditVerifier().verify(AuditVerifier.filesOldestFirst(dir));
    assertThat(result).isEqualTo(new AuditVerification.Intact(6, 5, 10, false));
  }
}
