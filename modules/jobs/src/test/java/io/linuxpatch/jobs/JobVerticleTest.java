package io.linuxpatch.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.contract.jobs.JobOutcome;
import io.linuxpatch.contract.jobs.JobStatus;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JobVerticle's queue, durability and admission rules on a real event bus and real files. The package
 * backend is replaced at its event-bus address by a scripted executor that holds each run until the test
 * releases it (real apt runs are in the end-to-end JobsTest); the audit log likewise by a consumer that
 * can be told to fail like a full disk.
 */
class JobVerticleTest {

  @TempDir
  Path dir;
  Vertx vertx;
  /** Runs the scripted executor received, in order, with their held replies. */
  final List<Message<JsonObject>> runs = new CopyOnWriteArrayList<>();
  final List<JsonObject> events = new CopyOnWriteArrayList<>();
  final List<JsonObject> cancels = new CopyOnWriteArrayList<>();
  final List<JsonObject> reboots = new CopyOnWriteArrayList<>();
  final List<JsonObject> auditRecords = new CopyOnWriteArrayList<>();
  final AtomicBoolean auditFails = new AtomicBoolean();

  @BeforeEach
  void backends() {
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(Addresses.PACKAGES_EXECUTE, runs::add);
    vertx.eventBus().<JsonObject>consumer(Addresses.PACKAGES_CANCEL, m -> {
      cancels.add(m.body());
      m.reply(new JsonObject().put("cancelled", true));
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.PACKAGES_CHECK_DATABASE, m -> {
      JsonObject reply = new JsonObject().put("interrupted", true).put("repaired", true)
          .put("logs", new JsonArray().add("dpkg --configure -a"));
      if (m.body().getJsonObject("plan") != null) {
        // What the backend reads back for the plan's packages (its own test: PackageSnapshotPlanTest).
        reply.put("changes", installed("demo-app", "2.0"));
      }
      m.reply(reply);
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.SYSTEM_REBOOT, m -> {
      reboots.add(m.body());
      m.reply(new JsonObject().put("exit_code", 0).put("command", new JsonArray().add("/bin/true")));
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.AUDIT_RECORD, m -> {
      if (auditFails.get()) {
        ServiceFailure.fail(m, ErrorCode.AUDIT_UNAVAILABLE, "No space left on device");
        return;
      }
      auditRecords.add(m.body());
      if (m.replyAddress() != null) {
        m.reply(new JsonObject().put("seq", auditRecords.size()));
      }
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.JOB_EVENTS, m -> events.add(m.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.SYSTEM_INFO, m -> m.reply(new JsonObject()
        .put("reboot_required", new JsonObject().put("required", true))));
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private JsonObject config(String windows) {
    JsonObject jobs = new JsonObject().put("max_queue_depth", 2);
    if (windows != null) {
      jobs.put("maintenance_windows", new JsonArray().add(windows));
    }
    return new JsonObject().put("data_dir", dir.toString()).put("jobs", jobs);
  }

  private void deploy(JobVerticle verticle, JsonObject config) throws Exception {
    get(vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)));
  }

  private void deploy() throws Exception {
    deploy(new JobVerticle(), config(null));
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private JsonObject submit(String operation, JsonObject extra) throws Exception {
    JsonObject message = new JsonObject().put("operation", operation)
        .put("params", new JsonObject().put("packages", new JsonArray().add(new JsonObject().put("name", "demo-app"))))
        .put("request_id", "req-1").put("requested_by", new JsonObject().put("cn", "ops").put("sha256", "ab12"));
    message.mergeIn(extra);
    return get(vertx.eventBus().<JsonObject>request(Addresses.JOBS_SUBMIT, message)).body();
  }

  private Throwable refusal(String operation, JsonObject extra) {
    try {
      submit(operation, extra);
      throw new AssertionError("submission of " + operation + " was accepted");
    } catch (Exception e) {
      return e.getCause();
    }
  }

  private JsonObject job(String id) throws Exception {
    return get(vertx.eventBus().<JsonObject>request(Addresses.JOBS_GET, new JsonObject().put("job_id", id))).body();
  }

  private static void complete(Message<JsonObject> run, JsonArray changes) {
    run.reply(new JobOutcome(JobStatus.COMPLETED, 0, null, null, changes, List.of("Setting up demo-app (2.0) ..."),
        null));
  }

  private static JsonArray installed(String name, String version) {
    return new JsonArray().add(new JsonObject().put("name", name).put("action", "install")
        .put("from_version", null).put("to_version", version));
  }

  @Test
  @Tag("JOB-7")
  @DisplayName("JOB-7: the job file is on disk and its audit record written before the submission is answered")
  void durableBeforeAnswer() throws Exception {
    deploy();
    JsonObject job = submit("install", new JsonObject()).getJsonObject("job");
    assertThat(job.getString("status")).isEqualTo("pending");
    assertThat(job.getString("request_id")).isEqualTo("req-1");
    Path file = dir.resolve("jobs").resolve(job.getString("job_id") + ".json");
    assertThat(file).exists();
    assertThat(new JsonObject(Files.readString(file)).getString("operation")).isEqualTo("install");
    assertThat(auditRecords).anySatisfy(r -> {
      assertThat(r.getString("event")).isEqualTo("job_created");
      assertThat(r.getString("job_id")).isEqualTo(job.getString("job_id"));
      assertThat(r.getBoolean("durable")).isTrue();
    });
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("jobs")))).isEqualTo("rwx------");
  }

  @Test
  @Tag("JOB-4")
  @DisplayName("JOB-4: two package jobs submitted together run one after the other, in submission order")
  void oneAtATime() throws Exception {
    deploy();
    String first = submit("install", new JsonObject()).getJsonObject("job").getString("job_id");
    String second = submit("remove", new JsonObject()).getJsonObject("job").getString("job_id");
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
    assertThat(runs.get(0).body().getString("job_id")).isEqualTo(first);
    assertThat(job(second).getString("status")).isEqualTo("pending");
    assertThat(job(first).getString("status")).isEqualTo("running");
    Thread.sleep(200);
    assertThat(runs).hasSize(1);
    complete(runs.get(0), installed("demo-app", "2.0"));
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 2);
    assertThat(runs.get(1).body().getString("job_id")).isEqualTo(second);
    JsonObject done = job(first);
    assertThat(done.getString("status")).isEqualTo("completed");
    assertThat(done.getInteger("progress")).isEqualTo(100);
    assertThat(done.getJsonArray("changes").getJsonObject(0).getString("to_version")).isEqualTo("2.0");
    assertThat(done.getJsonArray("logs")).contains("Setting up demo-app (2.0) ...");
    List<String> typesOfFirst = events.stream().filter(e -> e.getJsonObject("job").getString("job_id").equals(first))
        .map(e -> e.getString("type")).toList();
    assertThat(typesOfFirst).startsWith("job_status").endsWith("job_complete");
  }

  @Test
  @Tag("JOB-4")
  @DisplayName("JOB-4: a full queue answers QUEUE_FULL; the running job does not count")
  void queueBound() throws Exception {
    deploy();
    submit("install", new JsonObject());
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
    submit("install", new JsonObject());
    submit("install", new JsonObject());
    assertThat(ServiceFailure.codeOf(refusal("install", new JsonObject()))).isEqualTo(ErrorCode.QUEUE_FULL);
  }

  @Test
  @Tag("API-5")
  @DisplayName("API-5: a repeat with the same key and request returns the first job; a different request with the key is refused")
  void idempotency() throws Exception {
    deploy();
    JsonObject key = new JsonObject().put("idempotency_key", "k-1").put("idempotency_hash", "h-1");
    JsonObject first = submit("install", key);
    JsonObject repeat = submit("install", key);
    assertThat(first.getBoolean("repeat")).isFalse();
    assertThat(repeat.getBoolean("repeat")).isTrue();
    assertThat(repeat.getJsonObject("job").getString("job_id")).isEqualTo(first.getJsonObject("job").getString("job_id"));
    assertThat(ServiceFailure.codeOf(refusal("install", new JsonObject().put("idempotency_key", "k-1")
        .put("idempotency_hash", "h-2")))).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED);
    // Another client's identical key is its own.
    JsonObject other = submit("install", key.copy().put("requested_by", new JsonObject().put("sha256", "cd34")));
    assertThat(other.getBoolean("repeat")).isFalse();
  }

  @Test
  @Tag("AUD-4")
  @DisplayName("AUD-4: when the audit log cannot be written the job is refused and nothing runs or is stored")
  void auditUnavailable() throws Exception {
    deploy();
    auditFails.set(true);
    assertThat(ServiceFailure.codeOf(refusal("install", new JsonObject()))).isEqualTo(ErrorCode.AUDIT_UNAVAILABLE);
    Thread.sleep(200);
    assertThat(runs).isEmpty();
    try (var files = Files.list(dir.resolve("jobs"))) {
      assertThat(files.toList()).isEmpty();
    }
    auditFails.set(false);
    submit("install", new JsonObject());
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
  }

  @Test
  @Tag("JOB-6")
  @DisplayName("JOB-6: a pending job is cancelled without ever running; a running one has its cancel sent to the backend")
  void cancel() throws Exception {
    deploy();
    String running = submit("install", new JsonObject()).getJsonObject("job").getString("job_id");
    String pending = submit("install", new JsonObject()).getJsonObject("job").getString("job_id");
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
    JsonObject cancelled = get(vertx.eventBus().<JsonObject>request(Addresses.JOBS_DELETE,
        new JsonObject().put("job_id", pending))).body();
    assertThat(cancelled.getString("action")).isEqualTo("cancelled");
    assertThat(job(pending).getString("error_code")).isEqualTo("CANCELLED");
    JsonObject cancelling = get(vertx.eventBus().<JsonObject>request(Addresses.JOBS_DELETE,
        new JsonObject().put("job_id", running))).body();
    assertThat(cancelling.getString("action")).isEqualTo("cancelling");
    await().atMost(Duration.ofSeconds(5)).until(() -> cancels.size() == 1);
    assertThat(cancels.get(0).getString("job_id")).isEqualTo(running);
    runs.get(0).reply(new JobOutcome(JobStatus.CANCELLED, 143, null, null, new JsonArray(), List.of(), null));
    await().atMost(Duration.ofSeconds(5)).until(() -> "cancelled".equals(job(running).getString("status")));
    Thread.sleep(200);
    assertThat(runs).hasSize(1);
    // A finished job is deleted from the history, file included.
    JsonObject deleted = get(vertx.eventBus().<JsonObject>request(Addresses.JOBS_DELETE,
        new JsonObject().put("job_id", running))).body();
    assertThat(deleted.getString("action")).isEqualTo("deleted");
    await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(dir.resolve("jobs").resolve(running + ".json")));
  }

  @Test
  @DisplayName("Endpoint 10: a reboot is REBOOT_BLOCKED while a package job runs; with force the reboot command is asked for")
  void rebootBlocked() throws Exception {
    deploy();
    submit("install", new JsonObject());
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
    JsonObject reboot = new JsonObject().put("params", new JsonObject().put("delay_seconds", 120).put("reason", "kernel"));
    assertThat(ServiceFailure.codeOf(refusal("reboot", reboot))).isEqualTo(ErrorCode.REBOOT_BLOCKED);
    assertThat(reboots).isEmpty();
    String forced = submit("reboot", reboot.copy().put("force", true)).getJsonObject("job").getString("job_id");
    await().atMost(Duration.ofSeconds(5)).until(() -> reboots.size() == 1);
    assertThat(reboots.get(0).getInteger("delay_seconds")).isEqualTo(120);
    await().atMost(Duration.ofSeconds(5)).until(() -> "completed".equals(job(forced).getString("status")));
  }

  @Test
  @Tag("JOB-7")
  @DisplayName("JOB-7: after a restart a job that was running is failed AGENT_RESTARTED with the database check in its logs, and a pending one runs")
  void restart() throws Exception {
    deploy();
    String running = submit("install", new JsonObject()).getJsonObject("job").getString("job_id");
    String pending = submit("install", new JsonObject()).getJsonObject("job").getString("job_id");
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
    // The backend reports the before-versions as the run starts; they are stored with the job.
    JsonObject plan = new JsonObject().put("install", new JsonArray().add(new JsonObject().put("name", "demo-app")
        .putNull("from_version").put("to_version", "2.0")));
    vertx.eventBus().send(Addresses.JOBS_PROGRESS, new JsonObject().put("job_id", running).put("plan", plan));
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(dir.resolve("jobs").resolve(running + ".json"))
        .contains("\"plan\":{"));
    // The old agent is gone without a word (its replies never come), a new one starts on the same directory.
    close();
    runs.clear();
    backends();
    deploy();
    JsonObject failed = job(running);
    assertThat(failed.getString("status")).isEqualTo("failed");
    assertThat(failed.getString("error_code")).isEqualTo("AGENT_RESTARTED");
    assertThat(failed.getBoolean("retryable")).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> job(running).getJsonArray("logs").encode().contains("repaired"));
    // What the interrupted run changed was read back from the stored plan, so it can be rolled back.
    assertThat(job(running).getJsonArray("changes")).isEqualTo(installed("demo-app", "2.0"));
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
    assertThat(runs.get(0).body().getString("job_id")).isEqualTo(pending);
  }

  @Test
  @Tag("JOB-8")
  @DisplayName("JOB-8: a finished job that changed packages can be rolled back once, with its changes handed to the backend")
  void rollback() throws Exception {
    deploy();
    String original = submit("install", new JsonObject()).getJsonObject("job").getString("job_id");
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
    assertThat(ServiceFailure.codeOf(refusal("rollback", new JsonObject().put("rollback_of", original))))
        .isEqualTo(ErrorCode.JOB_NOT_ROLLBACKABLE);
    complete(runs.get(0), installed("demo-app", "2.0"));
    await().atMost(Duration.ofSeconds(5)).until(() -> "completed".equals(job(original).getString("status")));
    JsonObject rollback = submit("rollback", new JsonObject().put("rollback_of", original)).getJsonObject("job");
    assertThat(rollback.getString("rollback_of")).isEqualTo(original);
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 2);
    assertThat(runs.get(1).body().getJsonObject("params").getJsonArray("changes")).isEqualTo(installed("demo-app", "2.0"));
    assertThat(job(original).getString("rolled_back_by")).isEqualTo(rollback.getString("job_id"));
    assertThat(ServiceFailure.codeOf(refusal("rollback", new JsonObject().put("rollback_of", original))))
        .isEqualTo(ErrorCode.JOB_NOT_ROLLBACKABLE);
    assertThat(ServiceFailure.codeOf(refusal("rollback", new JsonObject().put("rollback_of",
        "00000000-0000-0000-0000-000000000000")))).isEqualTo(ErrorCode.JOB_NOT_FOUND);
  }

  @Test
  @DisplayName("Maintenance windows: outside the window a job waits with a message naming the opening; a forced one runs now, past it")
  void maintenanceWindow() throws Exception {
    // A Monday noon in the host's zone; the only window is Sunday night.
    Instant mondayNoon = java.time.LocalDateTime.of(2026, 11, 23, 12, 0).atZone(ZoneId.systemDefault()).toInstant();
    deploy(new JobVerticle(Clock.fixed(mondayNoon, ZoneId.of("UTC"))), config("Sun 01:00-02:00"));
    String waiting = submit("install", new JsonObject()).getJsonObject("job").getString("job_id");
    await().atMost(Duration.ofSeconds(5)).until(() -> job(waiting).getString("message").contains("maintenance window"));
    assertThat(job(waiting).getString("status")).isEqualTo("pending");
    Thread.sleep(200);
    assertThat(runs).isEmpty();
    String forced = submit("install", new JsonObject().put("force", true)).getJsonObject("job").getString("job_id");
    assertThat(forced).isNotEqualTo(waiting);
    // The forced job runs now, past the one waiting for the window, which keeps waiting.
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
    assertThat(runs.get(0).body().getString("job_id")).isEqualTo(forced);
    complete(runs.get(0), installed("demo-app", "2.0"));
    await().atMost(Duration.ofSeconds(5)).until(() -> "completed".equals(job(forced).getString("status")));
    Thread.sleep(200);
    assertThat(runs).hasSize(1);
    assertThat(job(waiting).getString("status")).isEqualTo("pending");
  }

  @Test
  @Tag("API-6")
  @DisplayName("Endpoint 11: jobs filter by status and operation and page as API-6 says")
  void listing() throws Exception {
    deploy();
    submit("install", new JsonObject());
    submit("remove", new JsonObject());
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
    JsonObject pending = get(vertx.eventBus().<JsonObject>request(Addresses.JOBS_LIST,
        new JsonObject().put("status", "pending"))).body();
    assertThat(pending.getInteger("total")).isEqualTo(1);
    assertThat(pending.getJsonArray("jobs").getJsonObject(0).getString("operation")).isEqualTo("remove");
    assertThat(pending.getJsonArray("jobs").getJsonObject(0).containsKey("logs")).isFalse();
    JsonObject page = get(vertx.eventBus().<JsonObject>request(Addresses.JOBS_LIST,
        new JsonObject().put("limit", 1).put("offset", 1).put("order", "desc"))).body();
    assertThat(page.getInteger("total")).isEqualTo(2);
    assertThat(page.getJsonArray("jobs").getJsonObject(0).getString("operation")).isEqualTo("install");
  }

  @Test
  @DisplayName("Endpoint 8: allow_reboot after a completed patch run that left the host needing a reboot requests a reboot job with the delay")
  void allowReboot() throws Exception {
    deploy();
    String patches = submit("patch_apply", new JsonObject().put("params",
        new JsonObject().put("allow_reboot", true).put("reboot_delay_seconds", 300))).getJsonObject("job").getString("job_id");
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
    assertThat(reboots).isEmpty();
    complete(runs.get(0), installed("demo-ssl", "1.0+deb1"));
    await().atMost(Duration.ofSeconds(5)).until(() -> reboots.size() == 1);
    assertThat(reboots.get(0).getInteger("delay_seconds")).isEqualTo(300);
    assertThat(reboots.get(0).getString("reason")).contains(patches);
    await().atMost(Duration.ofSeconds(5)).until(() -> job(patches).getJsonArray("logs").encode().contains("reboot job"));
  }

  private List<JsonObject> finishedRecords(String id) {
    return auditRecords.stream().filter(r -> "job_finished".equals(r.getString("event")) && id.equals(r.getString("job_id")))
        .toList();
  }

  private JsonObject stored(String id) throws Exception {
    return new JsonObject(Files.readString(dir.resolve("jobs").resolve(id + ".json")));
  }

  @Test
  @Tag("AUD-5")
  @DisplayName("AUD-5: a job cut off by a crash gets its job_finished at restart, after the check read back its changes")
  void interruptedJobIsAudited() throws Exception {
    deploy();
    String running = submit("install", new JsonObject()).getJsonObject("job").getString("job_id");
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
    JsonObject plan = new JsonObject().put("install", new JsonArray().add(new JsonObject().put("name", "demo-app")
        .putNull("from_version").put("to_version", "2.0")));
    vertx.eventBus().send(Addresses.JOBS_PROGRESS, new JsonObject().put("job_id", running).put("plan", plan));
    await().atMost(Duration.ofSeconds(5)).until(() -> stored(running).containsKey("plan")
        && stored(running).getValue("plan") != null);
    close();
    runs.clear();
    auditRecords.clear();
    backends();
    deploy();
    await().atMost(Duration.ofSeconds(5)).until(() -> finishedRecords(running).size() == 1);
    JsonObject record = finishedRecords(running).get(0);
    assertThat(record.getString("status")).isEqualTo("failed");
    assertThat(record.getString("error_code")).isEqualTo("AGENT_RESTARTED");
    assertThat(record.getJsonArray("changes")).isEqualTo(installed("demo-app", "2.0"));
    assertThat(record.getBoolean("durable")).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> !stored(running).containsKey("audit_owed"));
  }

  @Test
  @Tag("AUD-5")
  @DisplayName("AUD-5: a job_finished the audit log refuses is kept in the job file and written once the log works again; the job cannot be deleted meanwhile")
  void refusedJobFinishedIsOwed() throws Exception {
    deploy();
    String id = submit("install", new JsonObject()).getJsonObject("job").getString("job_id");
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
    auditFails.set(true);
    complete(runs.get(0), installed("demo-app", "2.0"));
    await().atMost(Duration.ofSeconds(5)).until(() -> "completed".equals(job(id).getString("status"))
        && stored(id).getJsonArray("audit_owed", new JsonArray()).contains("job_finished"));
    assertThat(finishedRecords(id)).isEmpty();
    assertThat(ServiceFailure.codeOf(deleteRefusal(id))).isEqualTo(ErrorCode.AUDIT_UNAVAILABLE);

    auditFails.set(false);
    await().atMost(Duration.ofMillis(5 * OwedAudit.RETRY_MS)).until(() -> finishedRecords(id).size() == 1);
    assertThat(finishedRecords(id).get(0).getJsonArray("changes")).isEqualTo(installed("demo-app", "2.0"));
    assertThat(finishedRecords(id).get(0).getString("owed_key")).isEqualTo("job_finished:" + id);
    await().atMost(Duration.ofSeconds(5)).until(() -> !stored(id).containsKey("audit_owed"));
    // Not offered again by a later retry: a second refused job_finished is written by the retry loop after the
    // first one was paid, and the first job still has exactly one record.
    String second = submit("install", new JsonObject().put("request_id", "req-2")).getJsonObject("job").getString("job_id");
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 2);
    auditFails.set(true);
    complete(runs.get(1), installed("demo-app", "2.0"));
    await().atMost(Duration.ofSeconds(5)).until(() -> "completed".equals(job(second).getString("status"))
        && stored(second).getJsonArray("audit_owed", new JsonArray()).contains("job_finished"));
    auditFails.set(false);
    await().atMost(Duration.ofMillis(5 * OwedAudit.RETRY_MS)).until(() -> finishedRecords(second).size() == 1);
    assertThat(finishedRecords(id)).hasSize(1);
  }

  @Test
  @Tag("AUD-5")
  @DisplayName("AUD-5: an owed job_finished survives a crash: the next start writes it")
  void owedRecordSurvivesARestart() throws Exception {
    deploy();
    String id = submit("install", new JsonObject()).getJsonObject("job").getString("job_id");
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
    auditFails.set(true);
    complete(runs.get(0), installed("demo-app", "2.0"));
    await().atMost(Duration.ofSeconds(5)).until(() -> stored(id).getJsonArray("audit_owed", new JsonArray())
        .contains("job_finished"));
    close();
    auditRecords.clear();
    auditFails.set(false);
    backends();
    deploy();
    await().atMost(Duration.ofSeconds(5)).until(() -> finishedRecords(id).size() == 1);
    assertThat(finishedRecords(id).get(0).getString("status")).isEqualTo("completed");
    assertThat(finishedRecords(id).get(0).getJsonArray("changes")).isEqualTo(installed("demo-app", "2.0"));
  }

  private Throwable deleteRefusal(String id) {
    try {
      get(vertx.eventBus().<JsonObject>request(Addresses.JOBS_DELETE, new JsonObject().put("job_id", id)));
      throw new AssertionError("the delete of " + id + " was accepted");
    } catch (Exception e) {
      return e.getCause();
    }
  }
}
