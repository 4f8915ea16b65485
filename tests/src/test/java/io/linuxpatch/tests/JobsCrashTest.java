package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JOB-7 with a real crash: the agent in a child JVM is killed with SIGKILL right after answering 202, and
 * a new agent on the same files still has every acknowledged job; the one that was running is failed with
 * AGENT_RESTARTED, the pending one runs.
 */
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
}
