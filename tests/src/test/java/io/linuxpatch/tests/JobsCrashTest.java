package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JOB-7 with a real crash: the agent in a child JVM is killed with SIGKILL right after answering 202, and
 * a new agent on the same files still has every acknowledged job; the one that was running is failed with
 * AGENT_RESTARTED, the pending one runs.
 */
@Tag("JOB-7")
class JobsCrashTest {

  @TempDir
  Path dir;


  @Test
  @DisplayName("kill -9 right after a 202: both acknowledged jobs exist after restart, the running one failed AGENT_RESTARTED")
  void killNine() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    assumeTrue(LockHolder.available(), "python3 is needed to hold dpkg's lock like another program");
    AgentUnderTest setup = new AgentUnderTest(dir);
    var sandbox = setup.useDemoSandbox("jobs:\n  lock_wait_seconds: 120\n" + AgentUnderTest.TEST_CLIENT_ADMIN);
    ChildAgent first = ChildAgent.start(setup);
    String running;
    String pending;
    try (LockHolder holder = LockHolder.hold(sandbox.root())) {
      try {
        running = first.send("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}")
            .getJsonObject("data").getString("job_id");
        await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(
            first.send("GET", "/api/v1/jobs/" + running, null).getJsonObject("data").getString("status")));
        JsonObject accepted = first.send("DELETE", "/api/v1/packages/demo-tool", null);
        assertThat(accepted.getInteger("_status")).isEqualTo(202);
        pending = accepted.getJsonObject("data").getString("job_id");
      } finally {
        first.kill();
      }
      // The crashed agent's apt-get (its own session) would outlive it; an operator's restart finds it gone
      // only after it ends, so the test ends it.
      SandboxProcesses.killAll(sandbox);
    }

    try (ChildAgent second = ChildAgent.start(setup)) {
      JsonObject restarted = second.send("GET", "/api/v1/jobs/" + running, null).getJsonObject("data");
      assertThat(restarted.getString("status")).isEqualTo("failed");
      assertThat(restarted.getString("error_code")).isEqualTo("AGENT_RESTARTED");
      await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(
          second.send("GET", "/api/v1/jobs/" + pending, null).getJsonObject("data").getString("status")));
      JsonObject removed = second.send("GET", "/api/v1/jobs/" + pending, null).getJsonObject("data");
      assertThat(removed.getJsonArray("changes").encode()).contains("demo-tool");
    }
  }

  @Test
  @DisplayName("a job cut off by kill -9 gets its job_finished in the audit log at restart, with the changes read back")
  void interruptedJobIsAudited() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    assumeTrue(LockHolder.available(), "python3 is needed to hold dpkg's lock like another program");
    AgentUnderTest setup = new AgentUnderTest(dir);
    var sandbox = setup.useDemoSandbox("jobs:\n  lock_wait_seconds: 120\n" + AgentUnderTest.TEST_CLIENT_ADMIN);
    Path jobFiles = dir.resolve("data/jobs");
    String running;
    ChildAgent first = ChildAgent.start(setup);
    try (LockHolder holder = LockHolder.hold(sandbox.root())) {
      try {
        running = first.send("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}")
            .getJsonObject("data").getString("job_id");
        // The before-versions are stored with the running job before apt-get starts waiting for the lock.
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(jobFiles.resolve(running + ".json"))
            && Files.readString(jobFiles.resolve(running + ".json")).contains("\"plan\":{"));
      } finally {
        first.kill();
      }
      SandboxProcesses.killAll(sandbox);
    }
    // What the run had done before the kill (apt-get had unpacked and configured the packages): done here with the
    // sandbox's own apt-get, so that the restart has real changes to read back.
    var apt = io.linuxpatch.process.ProcessRunner.create().run(io.linuxpatch.process.ProcessSpec.of(
        List.of("/usr/bin/apt-get", "-y", "-q", "install", "demo-app")).withExtraEnv(sandbox.aptEnvironment()));
    assertThat(apt.exitCode()).as(apt.toString()).isZero();

    Path audit = dir.resolve("log/audit.jsonl");
    try (ChildAgent second = ChildAgent.start(setup)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> !second.send("GET", "/api/v1/jobs/" + running, null)
          .getJsonObject("data").getJsonArray("changes").isEmpty());
      JsonObject job = second.send("GET", "/api/v1/jobs/" + running, null).getJsonObject("data");
      assertThat(job.getString("error_code")).isEqualTo("AGENT_RESTARTED");
      assertThat(job.getJsonArray("changes").encode()).contains("demo-app");
      await().atMost(Duration.ofSeconds(10)).until(() -> finishedRecord(audit, running) != null);
      JsonObject record = finishedRecord(audit, running);
      assertThat(record.getString("status")).isEqualTo("failed");
      assertThat(record.getString("error_code")).isEqualTo("AGENT_RESTARTED");
      assertThat(record.getJsonArray("changes")).isEqualTo(job.getJsonArray("changes"));
    }
    assertThat(new picocli.CommandLine(new io.linuxpatch.agent.Main())
        .execute("audit", "verify", dir.resolve("log").toString())).isZero();
  }

  @Test
  @DisplayName("the crashed agent's apt-get, still waiting in its own session, is ended at restart before the database check, and the job's log says so")
  void leftoverRunIsEnded() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    assumeTrue(LockHolder.available(), "python3 is needed to hold dpkg's lock like another program");
    AgentUnderTest setup = new AgentUnderTest(dir);
    var sandbox = setup.useDemoSandbox("jobs:\n  lock_wait_seconds: 300\n" + AgentUnderTest.TEST_CLIENT_ADMIN);
    try (LockHolder holder = LockHolder.hold(sandbox.root())) {
      String running;
      ChildAgent first = ChildAgent.start(setup);
      try {
        running = first.send("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}")
            .getJsonObject("data").getString("job_id");
        // apt-get waits for the lock the test holds (positive control: it is there before the kill).
        await().atMost(Duration.ofSeconds(20)).until(() -> !SandboxProcesses.of(sandbox, holder.pid()).isEmpty());
      } finally {
        first.kill();
      }
      List<ProcessHandle> orphans = SandboxProcesses.of(sandbox, holder.pid());
      assertThat(orphans).as("the orphan outlives the killed agent").isNotEmpty();

      try (ChildAgent second = ChildAgent.start(setup)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> second.send("GET", "/api/v1/jobs/" + running, null)
            .getJsonObject("data").getJsonArray("logs").encode().contains("has ended"));
        // (The new agent runs simulations of its own on the sandbox: only the orphans must be gone.)
        assertThat(orphans).as("the crashed agent's apt-get and its children are gone: %s", logs(second, running))
            .noneMatch(JobsCrashTest::running);
        String logs = second.send("GET", "/api/v1/jobs/" + running, null).getJsonObject("data")
            .getJsonArray("logs").encode();
        assertThat(logs).contains("was still running after the restart").contains("apt-get");
        assertThat(dir.resolve("data/package-job.json")).doesNotExist();
      }
    }
  }

  /** Alive and not a zombie (an orphan reparented to an init that does not reap stays a zombie here). */
  private static boolean running(ProcessHandle process) {
    try {
      String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (java.io.IOException gone) {
      return false;
    }
  }

  private static String logs(ChildAgent agent, String jobId) throws Exception {
    return agent.send("GET", "/api/v1/jobs/" + jobId, null).getJsonObject("data").getJsonArray("logs").encode();
  }

  /** The job_finished record of {@code jobId} in the audit log, or null. */
  static JsonObject finishedRecord(Path audit, String jobId) throws java.io.IOException {
    if (!Files.exists(audit)) {
      return null;
    }
    return Files.readAllLines(audit).stream().filter(l -> !l.isBlank()).map(JsonObject::new)
        .filter(r -> "job_finished".equals(r.getString("event")) && jobId.equals(r.getString("job_id")))
        .findFirst().orElse(null);
  }
}
