package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** AUD-1 and AUD-2 end to end: one hash-chained record per request, checked by {@code audit verify}. */
@Tag("AUD-1")
@Tag("AUD-2")
class AuditTest {

  @TempDir
  Path dir;
  AgentUnderTest agent;

  @BeforeEach
  void start() throws Exception {
    agent = new AgentUnderTest(dir).start();
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  private Path log() {
    return dir.resolve("log/audit.jsonl");
  }

  private List<JsonObject> records() throws Exception {
    if (!Files.exists(log())) {
      return List.of();
    }
    return Files.readAllLines(log()).stream().filter(l -> !l.isBlank()).map(JsonObject::new).toList();
  }

  private static int verify(Path... files) {
    PrintStream original = System.out;
    try {
      System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      String[] args = new String[files.length + 2];
      args[0] = "audit";
      args[1] = "verify";
      for (int i = 0; i < files.length; i++) {
        args[i + 2] = files[i].toString();
      }
      return new CommandLine(new io.linuxpatch.agent.Main()).execute(args);
    } finally {
      System.setOut(original);
    }
  }

  @Test
  @DisplayName("every request but the probes gives exactly one record with identity, peer IP, request id and UTC time")
  void oneRecordPerRequest() throws Exception {
    try (TlsClient client = agent.connect()) {
      client.get("/api/v1/system/info", "X-Request-ID: audit-a");
      client.get("/api/v1/nothing-here", "X-Request-ID: audit-b");
      client.get("/health", "X-Request-ID: audit-probe");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> records().stream()
        .filter(r -> "request".equals(r.getString("event"))).count() >= 2);
    List<JsonObject> requests = records().stream().filter(r -> "request".equals(r.getString("event"))).toList();
    assertThat(requests).extracting(r -> r.getString("request_id")).containsExactly("audit-a", "audit-b");
    JsonObject first = requests.get(0);
    assertThat(first.getJsonObject("client").getString("cn")).isEqualTo("test-client");
    assertThat(first.getString("peer_ip")).isEqualTo("127.0.0.1");
    assertThat(first.getInteger("status")).isEqualTo(200);
    assertThat(first.getString("time")).endsWith("Z");
    assertThat(requests.get(1).getInteger("status")).isEqualTo(404);
    assertThat(records()).noneMatch(r -> "audit-probe".equals(r.getString("request_id")));
    assertThat(verify(log())).isZero();
  }

  @Test
  @DisplayName("a handshake with a certificate from another CA gives exactly one authentication_failure record with peer IP, request id, UTC time and reason")
  void authenticationFailureRecorded() throws Exception {
    long before = records().stream().filter(r -> "authentication_failure".equals(r.getString("event"))).count();
    javax.net.ssl.SSLContext rogue = TlsClient.context(TestPki.rogueClient(), agent.pki.ca.certificate());
    assertThat(TlsClient.applicationBytes(rogue, agent.port)).isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> records().stream()
        .filter(r -> "authentication_failure".equals(r.getString("event"))).count() > before);
    Thread.sleep(1_500); // a second record would have arrived by now
    List<JsonObject> failures = records().stream()
        .filter(r -> "authentication_failure".equals(r.getString("event"))).toList();
    assertThat(failures).hasSize((int) before + 1);
    JsonObject failure = failures.get(failures.size() - 1);
    assertThat(failure.getString("peer_ip")).isEqualTo("127.0.0.1");
    assertThat(failure.getString("request_id")).matches("[0-9a-f-]{36}");
    assertThat(failure.getString("time")).endsWith("Z");
    assertThat(failure.getString("reason")).isNotBlank();
    assertThat(failure.getString("stage")).isEqualTo("tls handshake");
    assertThat(failure.getLong("count")).isEqualTo(1);
  }

  @Test
  @DisplayName("a record edited on disk makes audit verify fail")
  void tamperDetected() throws Exception {
    try (TlsClient client = agent.connect()) {
      client.get("/api/v1/system/info", "X-Request-ID: audit-c");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> records().stream()
        .anyMatch(r -> "audit-c".equals(r.getString("request_id"))));
    agent.close();
    String text = Files.readString(log());
    Files.writeString(log(), text.replace("\"status\":200", "\"status\":201"));
    assertThat(verify(log())).isEqualTo(1);
  }

  @Test
  @DisplayName("agent_start is on disk (fsync) by the time the agent answers: it is the first record")
  void agentStartDurableBeforeListening() throws Exception {
    // No wait: the buffered records are flushed within a second, agent_start must not be one of them.
    List<JsonObject> records = records();
    assertThat(records).isNotEmpty();
    assertThat(records.get(0).getString("event")).isEqualTo("agent_start");
  }

  @Test
  @DisplayName("the audit_log health check follows the log: records_written and last_seq reach the newest record within the reload interval")
  void healthCountsFollowTheLog() throws Exception {
    try (TlsClient client = agent.connect()) {
      for (int i = 0; i < 3; i++) {
        client.get("/api/v1/system/info", "X-Request-ID: counted-" + i);
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> records().stream()
        .anyMatch(r -> "counted-2".equals(r.getString("request_id"))));
    long lastSeq = records().get(records().size() - 1).getLong("seq");
    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
      JsonObject details;
      try (TlsClient client = agent.connect()) {
        details = new JsonObject(client.get("/health").body()).getJsonObject("data").getJsonObject("checks")
            .getJsonObject("audit_log").getJsonObject("details");
      }
      assertThat(details.getLong("last_seq")).isGreaterThanOrEqualTo(lastSeq);
      assertThat(details.getLong("records_written")).isGreaterThanOrEqualTo(lastSeq);
    });
  }
}
