package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * AUD-5 end to end: a real agent seals its audit log with a forward-secure key and publishes its chain head
 * outside the file (the checkpoints on {@code lpa.audit.events}, as a cluster subscriber or syslog collector
 * receives them, and the {@code lpa_audit_seq} metric); {@code audit verify} with the off-host key and those
 * anchors catches a removed last record, a rewritten file with recomputed hashes and a deleted log.
 */
@Tag("AUD-5")
class AuditSealingTest {

  @TempDir
  Path dir;

  private static final Pattern AUDIT_SEQ = Pattern.compile("(?m)^lpa_audit_seq(?:\\{[^}]*\\})? (\\S+)$");

  /** {@code linux-patch-api audit verify ARGS}: exit code and what it printed. */
  private static Verdict verify(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      List<String> argv = new ArrayList<>(List.of("audit", "verify"));
      argv.addAll(List.of(args));
      int code = new CommandLine(new io.linuxpatch.agent.Main()).execute(argv.toArray(String[]::new));
      return new Verdict(code, out.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }

  private record Verdict(int exitCode, String output) {}

  private Path verificationKey() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve("data/audit-seal"))) {
      return files.filter(f -> f.getFileName().toString().startsWith("verification-key-")).findFirst().orElseThrow();
    }
  }

  private Path log() {
    return dir.resolve("log/audit.jsonl");
  }

  private List<JsonObject> records() throws Exception {
    return Files.readAllLines(log()).stream().filter(l -> !l.isBlank()).map(JsonObject::new).toList();
  }

  /** A sealed agent whose published checkpoints are collected into {@code collected} (one JSON line each). */
  private AgentUnderTest sealedAgent(Path collected) throws Exception {
    AgentUnderTest setup = new AgentUnderTest(dir);
    setup.loggingYaml = "  seal:\n    interval_seconds: 1\n";
    setup.writeConfig("");
    AgentUnderTest agent = setup.start();
    agent.agent().vertx().eventBus().<JsonObject>consumer(io.linuxpatch.contract.Addresses.AUDIT_EVENTS, m -> {
      if ("audit_checkpoint".equals(m.body().getString("event"))) {
        try {
          Files.writeString(collected, m.body().encode() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    });
    return agent;
  }

  private static long auditSeqMetric(AgentUnderTest agent) throws Exception {
    try (TlsClient client = agent.connect()) {
      Matcher m = AUDIT_SEQ.matcher(client.get("/metrics").body());
      assertThat(m.find()).as("lpa_audit_seq in /metrics").isTrue();
      return (long) Double.parseDouble(m.group(1));
    }
  }

  @Test
  @DisplayName("a sealed log verifies with the exported key; a removed last record is caught by the lpa_audit_seq anchor, a recomputed chain by the key and the published checkpoints")
  void removedRecordAndRecomputedChain() throws Exception {
    Path collected = dir.resolve("collector.jsonl");
    AgentUnderTest agent = sealedAgent(collected);
    long metric;
    try {
      try (TlsClient client = agent.connect()) {
        client.get("/api/v1/system/info", "X-Request-ID: sealed-1");
      }
      // An idle interval passes: its checkpoint seals the request, and the metric shows the head on disk.
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(collected)
          && Files.readAllLines(collected).size() >= 1 && records().stream().anyMatch(r -> "sealed-1".equals(r.getString("request_id"))));
      long onDisk = records().get(records().size() - 1).getLong("seq");
      await().atMost(Duration.ofSeconds(5)).until(() -> auditSeqMetric(agent) >= onDisk);
      metric = auditSeqMetric(agent);
    } finally {
      agent.close();
    }
    Path key = verificationKey();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    Verdict intact = verify("--key", key.toString(), dir.resolve("log").toString());
    assertThat(intact.exitCode()).as(intact.output()).isZero();
    assertThat(new JsonObject(intact.output().substring(3).trim()).getBoolean("seals_checked")).isTrue();
    assertThat(records().get(records().size() - 1).getString("reason")).as("sealed at stop").isEqualTo("stop");

    // The log cut back to before the record the metric last showed (that record and all after it removed): the
    // seals cannot tell (what is left is a sealed prefix), the anchor of the metric can.
    Path saved = dir.resolve("saved.jsonl");
    Files.copy(log(), saved);
    List<String> kept = Files.readAllLines(log()).stream()
        .filter(l -> new JsonObject(l).getLong("seq") < metric).toList();
    Files.write(log(), kept);
    assertThat(verify("--key", key.toString(), dir.resolve("log").toString()).exitCode()).isZero();
    Verdict cut = verify("--key", key.toString(), "--anchor", String.valueOf(metric), dir.resolve("log").toString());
    assertThat(cut.exitCode()).as(cut.output()).isEqualTo(1);
    assertThat(cut.output()).contains("seq " + metric + " is anchored");

    // The file rewritten with an edited record and every hash recomputed: the chain passes, the key does not.
    Files.copy(saved, log(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    rechainWithEdit(1);
    assertThat(verify(dir.resolve("log").toString()).exitCode()).as("the plain chain is fooled").isZero();
    Verdict forged = verify("--key", key.toString(), dir.resolve("log").toString());
    assertThat(forged.exitCode()).as(forged.output()).isEqualTo(1);
    assertThat(forged.output()).contains("does not verify");
    Verdict anchored = verify("--anchors", collected.toString(), dir.resolve("log").toString());
    assertThat(anchored.exitCode()).as(anchored.output()).isEqualTo(1);
    assertThat(anchored.output()).contains("differs from the anchor");
  }

  @Test
  @DisplayName("a deleted log that restarts the chain: the restarted agent's first checkpoint gives it away, and the published checkpoints too")
  void deletedLog() throws Exception {
    Path collected = dir.resolve("collector.jsonl");
    AgentUnderTest first = sealedAgent(collected);
    first.close();
    long before = records().size();
    assertThat(before).isGreaterThan(1);
    Files.delete(log());

    AgentUnderTest second = sealedAgent(dir.resolve("ignored.jsonl"));
    second.close();
    assertThat(records().get(0).getLong("seq")).isEqualTo(1);
    Verdict plain = verify(dir.resolve("log").toString());
    assertThat(plain.exitCode()).as(plain.output()).isEqualTo(1);
    assertThat(plain.output()).contains("started over");
    Verdict anchored = verify("--anchors", collected.toString(), dir.resolve("log").toString());
    assertThat(anchored.exitCode()).isEqualTo(1);
  }

  /** The attacker's rewrite: record {@code seq} edited, every hash after it recomputed, MACs left as they are. */
  private void rechainWithEdit(long seq) throws Exception {
    io.linuxpatch.audit.AuditChain chain = io.linuxpatch.audit.AuditChain.GENESIS;
    List<String> out = new ArrayList<>();
    for (JsonObject record : records()) {
      JsonObject fields = record.copy();
      if (fields.getLong("seq") == seq) {
        fields.put("edited", true);
      }
      fields.remove("seq");
      fields.remove("prev");
      fields.remove("hash");
      if ("audit_checkpoint".equals(fields.getString("event"))) {
        fields.put("sealed_seq", chain.seq()).put("sealed_hash", chain.hash());
      }
      io.linuxpatch.audit.AuditChain.Sealed sealed = chain.seal(fields, java.time.Instant.now());
      out.add(new String(sealed.line(), StandardCharsets.UTF_8));
      chain = sealed.next();
    }
    Files.write(log(), out);
  }
}
