package io.linuxpatch.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.contract.health.HealthCheck;
import io.linuxpatch.contract.health.HealthStatus;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class AuditVerticleTest {

  @TempDir
  Path dir;

  private JsonObject config() {
    return new JsonObject().put("data_dir", dir.resolve("data").toString()).put("logging", new JsonObject()
        .put("audit_path", dir.resolve("audit.jsonl").toString()).put("retention_days", 7));
  }

  private void deploy(Vertx vertx, AuditVerticle verticle) throws Exception {
    vertx.deployVerticle(verticle, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setConfig(config()))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static <T> T result(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("A durable record is on disk, without its durable flag, when the reply with its seq arrives, and is published")
  void durableIsOnDiskAtReply(Vertx vertx) throws Exception {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.AUDIT_EVENTS, m -> events.add(m.body()));
    deploy(vertx, new AuditVerticle());
    JsonObject reply = result(vertx.eventBus().<JsonObject>request(Addresses.AUDIT_RECORD,
        new JsonObject().put("event", "package_change").put("durable", true))).body();
    assertThat(reply.getLong("seq")).isEqualTo(1);
    List<String> lines = Files.readAllLines(dir.resolve("audit.jsonl"));
    assertThat(lines).hasSize(1);
    assertThat(new JsonObject(lines.get(0)).containsKey("durable")).isFalse();
    assertThat(new JsonObject(lines.get(0)).getString("event")).isEqualTo("package_change");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(events).extracting(e -> e.getLong("seq")).containsExactly(1L));
  }

  @Test
  @DisplayName("A buffered record is acknowledged at once and reaches the disk within the one-second flush")
  void bufferedIsFlushed(Vertx vertx) throws Exception {
    deploy(vertx, new AuditVerticle());
    vertx.eventBus().send(Addresses.AUDIT_RECORD, new JsonObject().put("event", "request"));
    // Within the flush period, with room for a busy machine.
    await().atMost(Duration.ofMillis(5 * AuditVerticle.FLUSH_PERIOD_MS)).untilAsserted(() ->
        assertThat(dir.resolve("audit.jsonl")).exists().satisfies(log ->
            assertThat(Files.readAllLines(log)).hasSize(1)));
  }

  @Test
  @DisplayName("A write failure answers AUDIT_UNAVAILABLE and reports audit_log unhealthy; once space returns it recovers by itself")
  void failsClosedAndRecovers(Vertx vertx) throws Exception {
    AtomicBoolean full = new AtomicBoolean(false);
    List<HealthCheck> checks = new CopyOnWriteArrayList<>();
    vertx.eventBus().<HealthCheck>localConsumer(Addresses.HEALTH_CHECK, m -> checks.add(m.body()));
    deploy(vertx, new AuditVerticle(logging -> new AuditWriter(Path.of(logging.auditPath()), logging.retentionDays(),
        Clock.systemUTC(), path -> new FullDiskChannel(FileChannel.open(path,
            StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND), full))));
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(checks).last().extracting(HealthCheck::status).isEqualTo(HealthStatus.HEALTHY));

    full.set(true);
    Throwable failure = vertx.eventBus().request(Addresses.AUDIT_RECORD,
            new JsonObject().put("event", "install").put("durable", true))
        .toCompletionStage().toCompletableFuture().handle((ok, error) -> error).get(10, TimeUnit.SECONDS);
    assertThat(ServiceFailure.codeOf(failure.getCause() != null ? failure.getCause() : failure))
        .isEqualTo(ErrorCode.AUDIT_UNAVAILABLE);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(checks).last().satisfies(check -> {
      assertThat(check.name()).isEqualTo("audit_log");
      assertThat(check.status()).isEqualTo(HealthStatus.UNHEALTHY);
    }));
    assertThat(Files.size(dir.resolve("audit.jsonl"))).as("the half-written record was removed").isZero();

    full.set(false);
    JsonObject reply = result(vertx.eventBus().<JsonObject>request(Addresses.AUDIT_RECORD,
        new JsonObject().put("event", "install").put("durable", true))).body();
    assertThat(reply.getLong("seq")).as("the refused record is not in the chain").isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(checks).last().satisfies(check -> {
      assertThat(check.status()).isEqualTo(HealthStatus.HEALTHY);
      assertThat(check.details().getLong("last_seq")).isEqualTo(1);
    }));
    assertThat(new AuditVerifier().verify(List.of(dir.resolve("audit.jsonl"))))
        .isEqualTo(new AuditVerification.Intact(1, 1, 1, true));
  }

  @Test
  @DisplayName("The audit_log check is published again on a health resync")
  void resync(Vertx vertx) throws Exception {
    List<HealthCheck> checks = new CopyOnWriteArrayList<>();
    vertx.eventBus().<HealthCheck>localConsumer(Addresses.HEALTH_CHECK, m -> checks.add(m.body()));
    deploy(vertx, new AuditVerticle());
    // The check published at start, then one more per resync: the count tells the resync's apart.
    await().atMost(Duration.ofSeconds(5)).until(() -> !checks.isEmpty());
    int before = checks.size();
    vertx.eventBus().publish(Addresses.HEALTH_RESYNC, null);
    await().atMost(Duration.ofSeconds(5)).until(() -> checks.size() > before);
    assertThat(checks.get(before).name()).isEqualTo("audit_log");
    assertThat(checks.get(before).details().getString("path")).isEqualTo(dir.resolve("audit.jsonl").toString());
  }

  private AuditVerticle failingWhen(AtomicBoolean full) {
    return new AuditVerticle(logging -> new AuditWriter(Path.of(logging.auditPath()), logging.retentionDays(),
        Clock.systemUTC(), path -> new FullDiskChannel(FileChannel.open(path,
            StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND), full)));
  }

  @Test
  @Tag("AUD-5")
  @DisplayName("AUD-5: a refused record its sender keeps (owed_key) is counted in records_owed until it is written")
  void owedRecordsAreCounted(Vertx vertx) throws Exception {
    AtomicBoolean full = new AtomicBoolean(true);
    List<HealthCheck> checks = new CopyOnWriteArrayList<>();
    vertx.eventBus().<HealthCheck>localConsumer(Addresses.HEALTH_CHECK, m -> checks.add(m.body()));
    deploy(vertx, failingWhen(full));
    JsonObject owed = new JsonObject().put("event", "job_finished").put("job_id", "j-1").put("durable", true)
        .put("owed_key", "job_finished:j-1");
    vertx.eventBus().request(Addresses.AUDIT_RECORD, owed.copy()).otherwiseEmpty()
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(checks).last().satisfies(check -> {
          assertThat(check.status()).isEqualTo(HealthStatus.UNHEALTHY);
          assertThat(check.details().getInteger("records_owed")).isEqualTo(1);
          assertThat(check.message()).contains("owed");
        }));

    full.set(false);
    result(vertx.eventBus().request(Addresses.AUDIT_RECORD, owed.copy()));
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(checks).last().satisfies(check -> {
          assertThat(check.status()).isEqualTo(HealthStatus.HEALTHY);
          assertThat(check.details().getInteger("records_owed")).isZero();
        }));
    List<String> lines = Files.readAllLines(dir.resolve("audit.jsonl"));
    assertThat(lines).hasSize(1);
    assertThat(new JsonObject(lines.get(0)).containsKey("owed_key")).isFalse();
  }

  @Test
  @DisplayName("The audit_log check's counts follow the log within a flush period, not frozen at start")
  void healthFollowsTheLog(Vertx vertx) throws Exception {
    List<HealthCheck> checks = new CopyOnWriteArrayList<>();
    vertx.eventBus().<HealthCheck>localConsumer(Addresses.HEALTH_CHECK, m -> checks.add(m.body()));
    deploy(vertx, new AuditVerticle());
    for (int i = 0; i < 3; i++) {
      vertx.eventBus().send(Addresses.AUDIT_RECORD, new JsonObject().put("event", "request"));
    }
    await().atMost(Duration.ofMillis(3 * AuditVerticle.FLUSH_PERIOD_MS))
        .untilAsserted(() -> assertThat(checks).last().satisfies(check -> {
          assertThat(check.details().getLong("last_seq")).isEqualTo(3);
          assertThat(check.details().getLong("records_written")).isEqualTo(3);
          assertThat(check.details().getLong("synced_seq")).isEqualTo(3);
        }));
    // Nothing changes, nothing is published again.
    int published = checks.size();
    await().during(Duration.ofMillis(2 * AuditVerticle.FLUSH_PERIOD_MS))
        .atMost(Duration.ofMillis(3 * AuditVerticle.FLUSH_PERIOD_MS)).until(() -> checks.size() == published);
  }

  @Test
  @Tag("AUD-5")
  @DisplayName("AUD-5: with logging.seal a checkpoint is written every interval even when idle, and one at stop")
  void checkpointsOnTimerAndAtStop(Vertx vertx) throws Exception {
    JsonObject config = config();
    config.getJsonObject("logging").put("seal", new JsonObject().put("interval_seconds", 1));
    String id = vertx.deployVerticle(new AuditVerticle(), new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER).setConfig(config)).await(10, TimeUnit.SECONDS);
    vertx.eventBus().request(Addresses.AUDIT_RECORD, new JsonObject().put("event", "request").put("durable", true))
        .await(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() ->
        events(dir.resolve("audit.jsonl")).stream().filter("audit_checkpoint"::equals).count() >= 2);
    vertx.undeploy(id).await(10, TimeUnit.SECONDS);
    List<String> events = events(dir.resolve("audit.jsonl"));
    assertThat(events.get(0)).isEqualTo("request");
    assertThat(events.get(events.size() - 1)).isEqualTo("audit_checkpoint");
    List<JsonObject> records = Files.readAllLines(dir.resolve("audit.jsonl")).stream().map(JsonObject::new).toList();
    assertThat(records.get(records.size() - 1).getString("reason")).isEqualTo("stop");
    io.linuxpatch.audit.seal.VerificationKey key = io.linuxpatch.audit.seal.VerificationKey.read(
        onlyVerificationKey(dir.resolve("data/audit-seal")));
    AuditVerification result = new AuditVerifier(key, List.of()).verify(List.of(dir.resolve("audit.jsonl")));
    assertThat(result.ok()).as(result.toString()).isTrue();
    AuditVerification.Seals seals = ((AuditVerification.Intact) result).seals();
    assertThat(seals.macsChecked()).isTrue();
    assertThat(seals.checkpoints()).isEqualTo(events.stream().filter("audit_checkpoint"::equals).count());
    assertThat(seals.sealedThroughSeq()).isEqualTo(records.size());
  }

  static Path onlyVerificationKey(Path sealDir) throws Exception {
    try (var files = Files.list(sealDir)) {
      List<Path> keys = files.filter(f -> f.getFileName().toString().startsWith("verification-key-")).toList();
      assertThat(keys).hasSize(1);
      return keys.get(0);
    }
  }

  private static List<String> events(Path log) throws Exception {
    if (!Files.exists(log)) {
      return List.of();
    }
    return Files.readAllLines(log).stream().map(l -> new JsonObject(l).getString("event")).toList();
  }
}
