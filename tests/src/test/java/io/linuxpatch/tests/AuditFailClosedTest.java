package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.agent.Main;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AUD-4 with a real write failure from the kernel: the agent runs in a child JVM whose file-size limit
 * (the soft RLIMIT_FSIZE, set from outside with prlimit) is lowered to the audit log's current size, so every write
 * that would grow the log fails with EFBIG exactly as a full disk fails with ENOSPC. Mutations are refused
 * with 503 AUDIT_UNAVAILABLE and start nothing, reads go on, /health says why, and once the limit is lifted
 * the agent recovers by itself with the hash chain intact.
 */
@Tag("AUD-4")
class AuditFailClosedTest {

  static final Path PRLIMIT = Path.of("/usr/bin/prlimit");

  @TempDir
  Path dir;

  private static void prlimit(long pid, String fsize) throws Exception {
    Process p = new ProcessBuilder(PRLIMIT.toString(), "--pid", String.valueOf(pid), "--fsize=" + fsize + ":")
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
  }

  @Test
  @DisplayName("audit log unwritable → mutation 503 AUDIT_UNAVAILABLE with no job and no apt-get, reads 200, /health 503; recovery when writes work again")
  void failClosed() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    assumeTrue(Files.isExecutable(PRLIMIT), "prlimit (util-linux) is needed to limit the agent's file size");
    AgentUnderTest setup = new AgentUnderTest(dir);
    var sandbox = setup.useDemoSandbox(AgentUnderTest.TEST_CLIENT_ADMIN);
    Path audit = dir.resolve("log/audit.jsonl");
    try (ChildAgent agent = ChildAgent.start(setup)) {
      assertThat(agent.send("GET", "/api/v1/packages", null).getInteger("_status")).isEqualTo(200);
      // The limit is the log's size once the buffered record of that read is on disk (flushed within a second).
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(audit) && Files.readAllLines(audit).stream()
          .filter(line -> !line.isBlank()).map(JsonObject::new)
          .anyMatch(r -> "request".equals(r.getString("event")) && "/api/v1/packages".equals(r.getString("path"))));
      prlimit(agent.pid(), String.valueOf(Files.size(audit)));

      JsonObject refused = agent.send("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}");
      assertThat(refused.getInteger("_status")).isEqualTo(503);
      assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("AUDIT_UNAVAILABLE");
      assertThat(refused.getJsonObject("error").getBoolean("retryable")).isTrue();
      try (var jobs = Files.list(dir.resolve("data/jobs"))) {
        assertThat(jobs.toList()).isEmpty();
      }
      assertThat(SandboxProcesses.of(sandbox)).isEmpty();
      assertThat(agent.send("GET", "/api/v1/packages/demo-app", null).getJsonObject("data").getString("status"))
          .isEqualTo("available");
      JsonObject hold = agent.send("PUT", "/api/v1/holds/demo-tool", null);
      assertThat(hold.getInteger("_status")).isEqualTo(503);
      assertThat(hold.getJsonObject("error").getString("code")).isEqualTo("AUDIT_UNAVAILABLE");
      assertThat(agent.send("GET", "/api/v1/holds", null).getJsonObject("data").getJsonArray("holds").encode())
          .doesNotContain("demo-tool");
      JsonObject health = agent.send("GET", "/health", null);
      assertThat(health.getInteger("_status")).isEqualTo(503);
      assertThat(health.encode()).contains("audit_log");

      prlimit(agent.pid(), "unlimited");
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.send("GET", "/health", null).getInteger("_status") == 200);
      JsonObject accepted = agent.send("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}");
      assertThat(accepted.getInteger("_status")).isEqualTo(202);
      String id = accepted.getJsonObject("data").getString("job_id");
      await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(
          agent.send("GET", "/api/v1/jobs/" + id, null).getJsonObject("data").getString("status")));
    }
    // Nothing the refused request did left a hole in the chain.
    assertThat(new picocli.CommandLine(new Main()).execute("audit", "verify", dir.resolve("log").toString())).isZero();
  }

  /**
   * Runs an install whose apt-get waits on dpkg's lock, and lets it finish once the audit log cannot grow any
   * more: its {@code job_finished} is refused. Returns the job id once the job is completed.
   */
  private String finishJobWhileAuditRefuses(ChildAgent agent, AgentUnderTest setup, LockHolder holder, Path audit)
      throws Exception {
    String id;
    try (holder) {
      id = agent.send("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}")
          .getJsonObject("data").getString("job_id");
      await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(
          agent.send("GET", "/api/v1/jobs/" + id, null).getJsonObject("data").getString("status")));
      // Grow the log past what the completed job's own file will need, so that only the audit log hits the limit.
      for (int i = 0; i < 80; i++) {
        agent.send("GET", "/api/v1/jobs/00000000-0000-4000-8000-%012d".formatted(i), null);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(audit).contains("8000-000000000079"));
      prlimit(agent.pid(), String.valueOf(Files.size(audit)));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(
        agent.send("GET", "/api/v1/jobs/" + id, null).getJsonObject("data").getString("status")));
    return id;
  }

  private static JsonObject auditCheck(ChildAgent agent) throws Exception {
    return agent.send("GET", "/health", null).getJsonObject("data").getJsonObject("checks").getJsonObject("audit_log");
  }

  @Test
  @DisplayName("a job_finished refused for a full disk is owed: /health says so, and it is written once space returns")
  void owedRecordWrittenWhenSpaceReturns() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    assumeTrue(Files.isExecutable(PRLIMIT), "prlimit (util-linux) is needed to limit the agent's file size");
    assumeTrue(LockHolder.available(), "python3 is needed to hold dpkg's lock like another program");
    AgentUnderTest setup = new AgentUnderTest(dir);
    var sandbox = setup.useDemoSandbox("jobs:\n  lock_wait_seconds: 120\n" + AgentUnderTest.TEST_CLIENT_ADMIN);
    Path audit = dir.resolve("log/audit.jsonl");
    try (ChildAgent agent = ChildAgent.start(setup)) {
      String id = finishJobWhileAuditRefuses(agent, setup, LockHolder.hold(sandbox.root()), audit);
      assertThat(JobsCrashTest.finishedRecord(audit, id)).isNull();
      await().atMost(Duration.ofSeconds(10)).until(() -> auditCheck(agent).getJsonObject("details")
          .getInteger("records_owed", 0) >= 1);
      assertThat(agent.send("GET", "/health", null).getInteger("_status")).isEqualTo(503);

      prlimit(agent.pid(), "unlimited");
      await().atMost(Duration.ofSeconds(10)).until(() -> JobsCrashTest.finishedRecord(audit, id) != null);
      JsonObject record = JobsCrashTest.finishedRecord(audit, id);
      assertThat(record.getString("status")).isEqualTo("completed");
      assertThat(record.getJsonArray("changes").encode()).contains("demo-app").contains("demo-lib");
      await().atMost(Duration.ofSeconds(10)).until(() -> "healthy".equals(auditCheck(agent).getString("status"))
          && auditCheck(agent).getJsonObject("details").getInteger("records_owed", -1) == 0);
    } finally {
      SandboxProcesses.killAll(sandbox);
    }
    assertThat(new picocli.CommandLine(new Main()).execute("audit", "verify", dir.resolve("log").toString())).isZero();
  }

  @Test
  @DisplayName("an owed job_finished is kept with the job: after kill -9 the next start writes it")
  void owedRecordSurvivesACrash() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    assumeTrue(Files.isExecutable(PRLIMIT), "prlimit (util-linux) is needed to limit the agent's file size");
    assumeTrue(LockHolder.available(), "python3 is needed to hold dpkg's lock like another program");
    AgentUnderTest setup = new AgentUnderTest(dir);
    var sandbox = setup.useDemoSandbox("jobs:\n  lock_wait_seconds: 120\n" + AgentUnderTest.TEST_CLIENT_ADMIN);
    Path audit = dir.resolve("log/audit.jsonl");
    String id;
    ChildAgent first = ChildAgent.start(setup);
    try {
      id = finishJobWhileAuditRefuses(first, setup, LockHolder.hold(sandbox.root()), audit);
      await().atMost(Duration.ofSeconds(10)).until(() -> auditCheck(first).getJsonObject("details")
          .getInteger("records_owed", 0) >= 1);
    } finally {
      first.kill();
      SandboxProcesses.killAll(sandbox);
    }
    assertThat(JobsCrashTest.finishedRecord(audit, id)).isNull();
    try (ChildAgent second = ChildAgent.start(setup)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> JobsCrashTest.finishedRecord(audit, id) != null);
      JsonObject record = JobsCrashTest.finishedRecord(audit, id);
      assertThat(record.getString("status")).isEqualTo("completed");
      assertThat(record.getJsonArray("changes").encode()).contains("demo-app");
      assertThat(second.send("GET", "/api/v1/jobs/" + id, null).getJsonObject("data").getString("status"))
          .isEqualTo("completed");
    }
    assertThat(new picocli.CommandLine(new Main()).execute("audit", "verify", dir.resolve("log").toString())).isZero();
  }
}
