package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.packages.backend.apt.sandbox.DemoSandbox;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job engine end to end (JOB-1 to JOB-8, endpoints 4 to 6, 8, 10 to 14, 16): a real agent on a demo
 * sandbox, real apt-get and dpkg, what changed read back from the sandbox's own dpkg database by the test.
 * Each test gets its own sandbox and agent and makes the jobs it needs, so they run in any order.
 */
class JobsTest {

  @TempDir
  Path dir;
  AgentUnderTest agent;
  DemoSandbox sandbox;
  final ProcessRunner runner = ProcessRunner.create();

  @BeforeEach
  void start() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    agent = new AgentUnderTest(dir);
    sandbox = agent.useDemoSandbox("jobs:\n  lock_wait_seconds: 4\n" + AgentUnderTest.TEST_CLIENT_ADMIN);
    agent.start();
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private TlsClient.Response exchange(String method, String path, String body, String... headers) throws Exception {
    try (TlsClient client = agent.connect()) {
      if (body == null) {
        return client.exchange(method, path, null, headers);
      }
      String[] all = java.util.Arrays.copyOf(headers, headers.length + 1);
      all[headers.length] = "Content-Type: application/json";
      return client.exchange(method, path, body, all);
    }
  }

  private JsonObject send(String method, String path, String body) throws Exception {
    TlsClient.Response response = exchange(method, path, body);
    return new JsonObject(response.body()).put("_status", response.status());
  }

  /** Submits a job, checks the 202 and its Location, and returns the job id. */
  private String submit(String method, String path, String body) throws Exception {
    TlsClient.Response response = exchange(method, path, body);
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    JsonObject job = new JsonObject(response.body()).getJsonObject("data");
    assertThat(job.getString("status")).as("JOB-1: the 202 shows the accepted job").isEqualTo("pending");
    assertThat(response.headers().get("location")).isEqualTo("/api/v1/jobs/" + job.getString("job_id"));
    return job.getString("job_id");
  }

  private JsonObject job(String id) throws Exception {
    return send("GET", "/api/v1/jobs/" + id, null).getJsonObject("data");
  }

  private JsonObject finished(String id) throws Exception {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> !job(id).getString("status").matches("pending|running"));
    return job(id);
  }

  private JsonObject completed(String id) throws Exception {
    JsonObject job = finished(id);
    assertThat(job.getString("status")).as(job.encodePrettily()).isEqualTo("completed");
    return job;
  }

  /** The sandbox's dpkg database as the test reads it itself: name → version of what is installed. */
  private Map<String, String> installed() {
    ProcessResult result = runner.run(ProcessSpec.of("/usr/bin/dpkg-query",
        "--admindir=" + sandbox.root().resolve("var/lib/dpkg"), "-W", "-f=${db:Status-Abbrev}\\t${Package}\\t${Version}\\n"));
    Map<String, String> installed = new TreeMap<>();
    for (String line : result.stdout().text().split("\n")) {
      String[] f = line.split("\t");
      if (f.length == 3 && f[0].trim().equals("ii")) {
        installed.put(f[1], f[2]);
      }
    }
    return installed;
  }

  /** The audit records of one job with one event type. */
  private JsonArray auditOf(String jobId, String event) throws java.io.IOException {
    JsonArray records = new JsonArray();
    for (String line : Files.readAllLines(dir.resolve("log/audit.jsonl"))) {
      JsonObject record = new JsonObject(line);
      if (event.equals(record.getString("event")) && jobId.equals(record.getString("job_id"))) {
        records.add(record);
      }
    }
    return records;
  }

  private static JsonObject change(JsonObject job, String name) {
    for (Object c : job.getJsonArray("changes")) {
      if (((JsonObject) c).getString("name").equals(name)) {
        return (JsonObject) c;
      }
    }
    throw new AssertionError("no change of " + name + " in " + job.getJsonArray("changes"));
  }

  @Test
  @Tag("JOB-1")
  @Tag("JOB-2")
  @Tag("JOB-8")
  @DisplayName("install: 202 with Location; demo-app and its dependency demo-lib installed, changes read back; rollback removes both")
  void installAndRollBack() throws Exception {
    String id = submit("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}");
    JsonObject job = completed(id);
    assertThat(installed()).containsEntry("demo-app", "2.0").containsEntry("demo-lib", "2.0");
    assertThat(change(job, "demo-app").getString("action")).isEqualTo("install");
    assertThat(change(job, "demo-lib").getString("to_version")).isEqualTo("2.0");
    assertThat(change(job, "demo-lib").getString("from_version")).isNull();
    assertThat(job.getJsonObject("requested_by").getString("cn")).isEqualTo("test-client");
    assertThat(job.getString("request_id")).isNotBlank();
    assertThat(job.getInteger("exit_code")).isZero();
    assertThat(job.getJsonArray("logs")).isNotEmpty();

    String rollback = submit("POST", "/api/v1/jobs/" + id + "/rollback", "");
    JsonObject undone = completed(rollback);
    assertThat(undone.getString("rollback_of")).isEqualTo(id);
    assertThat(job(id).getString("rolled_back_by")).isEqualTo(rollback);
    assertThat(installed()).doesNotContainKeys("demo-app", "demo-lib");
    assertThat(change(undone, "demo-lib").getString("action")).isIn("remove", "purge");
  }

  @Test
  @Tag("JOB-8")
  @DisplayName("update then rollback: demo-tool goes 1.0 → 1.1 and back to 1.0")
  void updateAndRollBack() throws Exception {
    String id = submit("PUT", "/api/v1/packages/demo-tool", "{}");
    JsonObject job = completed(id);
    assertThat(installed()).containsEntry("demo-tool", "1.1");
    assertThat(change(job, "demo-tool").getString("action")).isEqualTo("upgrade");
    assertThat(change(job, "demo-tool").getString("from_version")).isEqualTo("1.0");
    JsonObject undone = completed(submit("POST", "/api/v1/jobs/" + id + "/rollback", "{}"));
    assertThat(installed()).containsEntry("demo-tool", "1.0");
    assertThat(change(undone, "demo-tool").getString("action")).isEqualTo("downgrade");
  }

  @Test
  @DisplayName("a stale plan_id is 409 PLAN_STALE and queues nothing; the fresh one runs exactly that plan")
  void planThenApply() throws Exception {
    JsonObject plan = send("POST", "/api/v1/patches/apply?dry_run=true", "{\"security_only\":true}").getJsonObject("data");
    String planId = plan.getString("plan_id");
    // The host changes behind the plan's back.
    completed(submit("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-lib\"}]}"));
    int jobsBefore = send("GET", "/api/v1/jobs", null).getJsonObject("data").getInteger("total");
    JsonObject stale = send("POST", "/api/v1/patches/apply", "{\"security_only\":true,\"plan_id\":\"" + planId + "\"}");
    assertThat(stale.getInteger("_status")).isEqualTo(409);
    assertThat(stale.getJsonObject("error").getString("code")).isEqualTo("PLAN_STALE");
    assertThat(send("GET", "/api/v1/jobs", null).getJsonObject("data").getInteger("total")).isEqualTo(jobsBefore);
    String fresh = send("POST", "/api/v1/patches/apply?dry_run=true", "{\"security_only\":true}")
        .getJsonObject("data").getString("plan_id");
    JsonObject job = completed(submit("POST", "/api/v1/patches/apply", "{\"security_only\":true,\"plan_id\":\"" + fresh + "\"}"));
    assertThat(installed()).containsEntry("demo-ssl", "1.0+deb1").containsEntry("demo-tool", "1.0");
    assertThat(change(job, "demo-ssl").getString("to_version")).isEqualTo("1.0+deb1");
  }

  @Test
  @Tag("API-5")
  @DisplayName("API-5: a repeat with the same Idempotency-Key returns the first job; another request with that key is 422")
  void idempotentRepeat() throws Exception {
    String body = "{\"packages\":[{\"name\":\"demo-modern\"}]}";
    TlsClient.Response first = exchange("POST", "/api/v1/packages", body, "Idempotency-Key: modern-1");
    TlsClient.Response repeat = exchange("POST", "/api/v1/packages", body, "Idempotency-Key: modern-1");
    assertThat(first.status()).isEqualTo(202);
    assertThat(repeat.status()).isEqualTo(202);
    String id = new JsonObject(first.body()).getJsonObject("data").getString("job_id");
    assertThat(new JsonObject(repeat.body()).getJsonObject("data").getString("job_id")).isEqualTo(id);
    TlsClient.Response other = exchange("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}",
        "Idempotency-Key: modern-1");
    assertThat(other.status()).isEqualTo(422);
    JsonObject job = completed(id);
    // demo-modern conflicts with demo-legacy: apt removes it, and the changes say so.
    assertThat(installed()).containsKey("demo-modern").doesNotContainKey("demo-legacy");
    assertThat(change(job, "demo-legacy").getString("action")).isIn("remove", "purge");
  }

  @Test
  @Tag("JOB-4")
  @DisplayName("JOB-4: two mutations sent together run one after the other; remove with purge leaves nothing")
  void oneAfterTheOther() throws Exception {
    completed(submit("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-modern\"}]}"));
    TlsClient.Response accepted = exchange("DELETE", "/api/v1/packages/demo-modern?purge=true", null, "Idempotency-Key: purge-1");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    String first = new JsonObject(accepted.body()).getJsonObject("data").getString("job_id");
    String second = submit("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}");
    JsonObject a = completed(first);
    JsonObject b = completed(second);
    assertThat(Instant.parse(b.getString("started_at"))).isAfterOrEqualTo(Instant.parse(a.getString("completed_at")));
    assertThat(change(a, "demo-modern").getString("action")).isEqualTo("purge");
    assertThat(installed()).doesNotContainKey("demo-modern").containsKey("demo-app");
    // API-5 after the first run has ended: the retry gets that job back, although a new plan would now be
    // refused (demo-modern is no longer installed).
    TlsClient.Response retry = exchange("DELETE", "/api/v1/packages/demo-modern?purge=true", null, "Idempotency-Key: purge-1");
    assertThat(retry.status()).as(retry.body()).isEqualTo(202);
    assertThat(new JsonObject(retry.body()).getJsonObject("data").getString("job_id")).isEqualTo(first);
    assertThat(exchange("DELETE", "/api/v1/packages/demo-modern?purge=true", null).status()).isEqualTo(404);
  }

  @Test
  @Tag("JOB-4")
  @DisplayName("JOB-4: a lock held by another program is waited for (the job says who holds it) and the job runs once it is free")
  void lockWaited() throws Exception {
    assumeTrue(LockHolder.available(), "python3 is needed to hold dpkg's lock like another program");
    completed(submit("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}"));
    String id;
    try (LockHolder holder = LockHolder.hold(sandbox.root())) {
      id = submit("DELETE", "/api/v1/packages/demo-app", null);
      await().atMost(Duration.ofSeconds(10)).until(() -> job(id).getString("message").contains(String.valueOf(holder.pid())));
      assertThat(job(id).getString("status")).isEqualTo("running");

      // Endpoint 10 while a package job runs: refused, unless forced.
      JsonObject blocked = send("POST", "/api/v1/system/reboot", "{\"delay_seconds\":0,\"reason\":\"test\"}");
      assertThat(blocked.getInteger("_status")).isEqualTo(409);
      assertThat(blocked.getJsonObject("error").getString("code")).isEqualTo("REBOOT_BLOCKED");
      assertThat(dir.resolve("data/reboot-requested")).doesNotExist();
      String reboot = submit("POST", "/api/v1/system/reboot", "{\"delay_seconds\":0,\"reason\":\"test\",\"force\":true}");
      assertThat(completed(reboot).getString("operation")).isEqualTo("reboot");
      assertThat(dir.resolve("data/reboot-requested")).exists();
    }
    completed(id);
    assertThat(installed()).doesNotContainKey("demo-app");
  }

  @Test
  @Tag("JOB-4")
  @DisplayName("JOB-4: a lock still held after jobs.lock_wait_seconds fails the job with PKG_MANAGER_LOCKED")
  void lockTimeout() throws Exception {
    assumeTrue(LockHolder.available(), "python3 is needed to hold dpkg's lock like another program");
    try (LockHolder holder = LockHolder.hold(sandbox.root())) {
      JsonObject job = finished(submit("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}"));
      assertThat(job.getString("status")).isEqualTo("failed");
      assertThat(job.getString("error_code")).isEqualTo("PKG_MANAGER_LOCKED");
      assertThat(job.getBoolean("retryable")).isTrue();
      assertThat(job.getJsonArray("changes")).isEmpty();
    }
    assertThat(installed()).doesNotContainKey("demo-app");
  }

  @Test
  @Tag("JOB-6")
  @DisplayName("JOB-6: cancelling a pending job means it never runs; cancelling a running one ends its whole process group")
  void cancel() throws Exception {
    assumeTrue(LockHolder.available(), "python3 is needed to hold dpkg's lock like another program");
    try (LockHolder holder = LockHolder.hold(sandbox.root())) {
      String running = submit("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}");
      String pending = submit("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-modern\"}]}");
      await().atMost(Duration.ofSeconds(10)).until(() -> job(running).getString("status").equals("running"));
      // Positive control for the check below: the running job's apt-get is seen while it waits for the lock.
      await().atMost(Duration.ofSeconds(10)).until(() -> !SandboxProcesses.of(sandbox, holder.pid()).isEmpty());
      JsonObject cancelled = send("DELETE", "/api/v1/jobs/" + pending, null);
      assertThat(cancelled.getJsonObject("data").getString("action")).isEqualTo("cancelled");
      JsonObject cancelling = send("DELETE", "/api/v1/jobs/" + running, null);
      assertThat(cancelling.getJsonObject("data").getString("action")).isEqualTo("cancelling");
      JsonObject job = finished(running);
      assertThat(job.getString("status")).isEqualTo("cancelled");
      assertThat(job.getString("error_code")).isEqualTo("CANCELLED");
      assertThat(job(pending).getString("started_at")).isNull();
      // No process of the job's group is left on this sandbox.
      assertThat(SandboxProcesses.of(sandbox, holder.pid())).isEmpty();
    }
    assertThat(installed()).doesNotContainKeys("demo-app", "demo-modern");
  }

  @Test
  @DisplayName("Endpoint 11 lists and filters jobs; endpoint 12 answers 404 JOB_NOT_FOUND and 400 for a malformed id; a finished job can be deleted")
  void listAndDelete() throws Exception {
    String install = submit("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}");
    completed(install);
    String rollback = submit("POST", "/api/v1/jobs/" + install + "/rollback", "");
    completed(rollback);
    assertThat(send("GET", "/api/v1/jobs", null).getJsonObject("data").getInteger("total")).isEqualTo(2);
    JsonObject rollbacks = send("GET", "/api/v1/jobs?operation=rollback&sort=created_at&order=desc", null).getJsonObject("data");
    assertThat(rollbacks.getInteger("total")).isEqualTo(1);
    assertThat(rollbacks.getJsonArray("jobs").getJsonObject(0).getString("job_id")).isEqualTo(rollback);
    assertThat(rollbacks.getJsonArray("jobs").getJsonObject(0).getString("operation")).isEqualTo("rollback");
    JsonObject missing = send("GET", "/api/v1/jobs/00000000-0000-0000-0000-000000000000", null);
    assertThat(missing.getInteger("_status")).isEqualTo(404);
    assertThat(missing.getJsonObject("error").getString("code")).isEqualTo("JOB_NOT_FOUND");
    assertThat(send("GET", "/api/v1/jobs/not-a-uuid", null).getInteger("_status")).isEqualTo(400);
    String id = rollbacks.getJsonArray("jobs").getJsonObject(0).getString("job_id");
    assertThat(send("DELETE", "/api/v1/jobs/" + id, null).getJsonObject("data").getString("action")).isEqualTo("deleted");
    assertThat(send("GET", "/api/v1/jobs/" + id, null).getInteger("_status")).isEqualTo(404);
  }

  @Test
  @DisplayName("cache refresh is a job; every job left a job_created and a job_finished audit record with its changes")
  void cacheRefreshAndAudit() throws Exception {
    completed(submit("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-lib\"}]}"));
    JsonObject refresh = completed(submit("POST", "/api/v1/packages/cache", ""));
    assertThat(refresh.getString("operation")).isEqualTo("cache_refresh");
    String id = refresh.getString("job_id");
    await().atMost(Duration.ofSeconds(5)).until(() -> auditOf(id, "job_finished").size() == 1);
    assertThat(auditOf(id, "job_created")).hasSize(1);
    JsonObject created = auditOf(id, "job_created").getJsonObject(0);
    assertThat(created.getJsonObject("client").getString("cn")).isEqualTo("test-client");
    assertThat(created.getString("request_id")).isEqualTo(refresh.getString("request_id"));
    // The install of demo-lib above: its package change is in its job_finished record.
    JsonObject libInstall = send("GET", "/api/v1/jobs?operation=install", null).getJsonObject("data").getJsonArray("jobs")
        .stream().map(o -> (JsonObject) o).filter(j -> j.getJsonArray("packages").contains("demo-lib")).findFirst().orElseThrow();
    JsonArray changes = auditOf(libInstall.getString("job_id"), "job_finished").getJsonObject(0).getJsonArray("changes");
    assertThat(changes.getJsonObject(0).getString("name")).isEqualTo("demo-lib");
  }

  @Test
  @Tag("MET-1")
  @DisplayName("MET-1: /metrics shows the agent's job, queue, package, reboot and audit meters")
  void agentMeters() throws Exception {
    assumeTrue(LockHolder.available(), "python3 is needed to hold dpkg's lock like another program");
    // A completed install, its rollback, and an install that fails on the held lock.
    String install = submit("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}");
    completed(install);
    completed(submit("POST", "/api/v1/jobs/" + install + "/rollback", ""));
    try (LockHolder holder = LockHolder.hold(sandbox.root())) {
      JsonObject failed = finished(submit("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}"));
      assertThat(failed.getString("status")).isEqualTo("failed");
    }
    String text;
    try (TlsClient client = agent.connect()) {
      text = client.get("/metrics").body();
    }
    assertThat(text).containsPattern("lpa_jobs_total\\{operation=\"install\",status=\"completed\"[^}]*\\} [1-9]");
    assertThat(text).containsPattern("lpa_jobs_total\\{operation=\"install\",status=\"failed\"[^}]*\\} [1-9]");
    assertThat(text).containsPattern("lpa_job_duration_seconds_count\\{operation=\"rollback\"[^}]*\\} [1-9]");
    assertThat(text).containsPattern("(?m)^lpa_job_queue_depth(\\{[^}]*\\})? 0\\.0$");
    assertThat(text).containsPattern("(?m)^lpa_packages_installed(\\{[^}]*\\})? [1-9]");
    assertThat(text).containsPattern("lpa_updates_available\\{kind=\"security\"[^}]*\\} ");
    assertThat(text).containsPattern("(?m)^lpa_reboot_required(\\{[^}]*\\})? 0\\.0$");
    assertThat(text).containsPattern("(?m)^lpa_audit_write_errors_total(\\{[^}]*\\})? 0\\.0$");
  }

  @Test
  @Tag("JOB-9")
  @DisplayName("JOB-9: a WebSocket client subscribed to all jobs sees a real job's job_status events then one job_complete, in order")
  void webSocketEvents() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.core.http.WebSocketClient client = vertx.createWebSocketClient(new io.vertx.core.http.WebSocketClientOptions()
          .setSsl(true)
          .setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(agent.pki.caPem().toString()))
          .setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions()
              .addCertValue(io.vertx.core.buffer.Buffer.buffer(agent.pki.client.certificatePem()))
              .addKeyValue(io.vertx.core.buffer.Buffer.buffer(agent.pki.client.privateKeyPem()))));
      io.vertx.core.http.WebSocket ws = client.connect(new io.vertx.core.http.WebSocketConnectOptions()
          .setHost("localhost").setPort(agent.port).setSsl(true).setURI("/api/v1/ws/jobs")).await(10, java.util.concurrent.TimeUnit.SECONDS);
      java.util.concurrent.BlockingQueue<JsonObject> frames = new java.util.concurrent.LinkedBlockingQueue<>();
      ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
      ws.writeTextMessage("{\"type\":\"subscribe_all\"}");
      ws.writeTextMessage("{\"type\":\"ping\"}");
      assertThat(frames.poll(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(new JsonObject().put("type", "pong"));

      String id = submit("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}");
      java.util.List<JsonObject> ofJob = new java.util.ArrayList<>();
      while (ofJob.isEmpty() || !"job_complete".equals(ofJob.get(ofJob.size() - 1).getString("type"))) {
        JsonObject frame = frames.poll(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(frame).as("an event within 60 s; so far " + ofJob).isNotNull();
        if (id.equals(frame.getJsonObject("job").getString("job_id"))) {
          ofJob.add(frame);
        }
      }
      assertThat(ofJob.get(0).getString("type")).isEqualTo("job_status");
      assertThat(ofJob.get(0).getJsonObject("job").getString("status")).isEqualTo("pending");
      assertThat(ofJob.stream().map(f -> f.getJsonObject("job").getString("status")))
          .contains("running").last().isEqualTo("completed");
      assertThat(ofJob.stream().filter(f -> f.getString("type").equals("job_complete"))).hasSize(1);
      java.util.List<Integer> progress = ofJob.stream().map(f -> f.getJsonObject("job").getInteger("progress")).toList();
      assertThat(progress).isSorted();
      assertThat(ofJob.get(ofJob.size() - 1).getJsonObject("job").containsKey("logs")).isFalse();
      ws.close();
      // Used until here: Vert.x closes the connections of a client once it is garbage-collected.
      client.close();
    } finally {
      vertx.close();
    }
  }

  @Test
  @Tag("JOB-8")
  @DisplayName("JOB-8: rolling back a job whose packages a later job changed again is refused (PLAN_STALE) and changes nothing")
  void rollbackAfterLaterChange() throws Exception {
    completed(submit("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}"));
    assertThat(installed()).containsKey("demo-app");
    String removed = submit("DELETE", "/api/v1/packages/demo-app", null);
    completed(removed);
    String reinstalled = submit("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}");
    completed(reinstalled);
    Map<String, String> before = installed();
    JsonObject refused = finished(submit("POST", "/api/v1/jobs/" + removed + "/rollback", ""));
    assertThat(refused.getString("status")).isEqualTo("failed");
    assertThat(refused.getString("error_code")).isEqualTo("PLAN_STALE");
    assertThat(refused.getString("error")).contains("demo-app");
    assertThat(installed()).isEqualTo(before);
    // The later job itself rolls back fine.
    completed(submit("POST", "/api/v1/jobs/" + reinstalled + "/rollback", ""));
    assertThat(installed()).doesNotContainKey("demo-app");
  }

  @Test
  @DisplayName("holds: PUT holds a package (apt-mark, audited before it runs), GET lists it, DELETE releases it; not installed → 404")
  void holds() throws Exception {
    JsonObject held = send("PUT", "/api/v1/holds/demo-tool", null);
    assertThat(held.getInteger("_status")).as(held.encode()).isEqualTo(200);
    assertThat(held.getJsonObject("data").getBoolean("held")).isTrue();
    assertThat(held.getJsonObject("data").getBoolean("changed")).isTrue();
    assertThat(send("GET", "/api/v1/holds", null).getJsonObject("data").getJsonArray("holds").encode()).contains("demo-tool");
    assertThat(send("PUT", "/api/v1/holds/demo-tool", null).getJsonObject("data").getBoolean("changed")).isFalse();
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(dir.resolve("log/audit.jsonl")).contains("\"package_hold\""));
    JsonObject released = send("DELETE", "/api/v1/holds/demo-tool", null);
    assertThat(released.getJsonObject("data").getBoolean("held")).isFalse();
    assertThat(send("GET", "/api/v1/holds", null).getJsonObject("data").getJsonArray("holds").encode()).doesNotContain("demo-tool");
    assertThat(send("PUT", "/api/v1/holds/demo-modern", null).getInteger("_status")).isEqualTo(404);
  }
}
