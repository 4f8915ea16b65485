package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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

  /** The agent's real command line ({@code --config}) in a child JVM with the test's classpath. */
  private static Process startAgent(AgentUnderTest setup) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.linuxpatch.agent.Main",
        "--config", setup.configFile.toString())
        .redirectErrorStream(true)
        .redirectOutput(setup.dir.resolve("agent-" + System.nanoTime() + ".log").toFile())
        .start();
  }

  private static JsonObject send(AgentUnderTest setup, String method, String path, String body) throws Exception {
    try (TlsClient client = setup.connect()) {
      TlsClient.Response response = body == null ? client.exchange(method, path, null)
          : client.exchange(method, path, body, "Content-Type: application/json");
      return new JsonObject(response.body()).put("_status", response.status());
    }
  }

  private static void awaitListening(AgentUnderTest setup, Process agent) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      assertThat(agent.isAlive()).as("the agent exited early").isTrue();
      try {
        return send(setup, "GET", "/health", null).getInteger("_status") != null;
      } catch (IOException notYet) {
        return false;
      }
    });
  }

  private static void killLeftovers(Path root) {
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(root.toString())).orElse(false))
        .forEach(ProcessHandle::destroyForcibly);
  }

  @Test
  @DisplayName("kill -9 right after a 202: both acknowledged jobs exist after restart, the running one failed AGENT_RESTARTED")
  void killNine() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-get")) && Files.isExecutable(Path.of("/usr/bin/dpkg-deb")),
        "apt-get and dpkg-deb are needed for the sandbox (Debian/Ubuntu)");
    assumeTrue(LockHolder.available(), "python3 is needed to hold dpkg's lock like another program");
    AgentUnderTest setup = new AgentUnderTest(dir);
    var sandbox = setup.useDemoSandbox("jobs:\n  lock_wait_seconds: 120\n");
    Process first = startAgent(setup);
    String running;
    String pending;
    try (LockHolder holder = LockHolder.hold(sandbox.root())) {
      try {
        awaitListening(setup, first);
        running = send(setup, "POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}")
            .getJsonObject("data").getString("job_id");
        await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(
            send(setup, "GET", "/api/v1/jobs/" + running, null).getJsonObject("data").getString("status")));
        JsonObject accepted = send(setup, "DELETE", "/api/v1/packages/demo-tool", null);
        assertThat(accepted.getInteger("_status")).isEqualTo(202);
        pending = accepted.getJsonObject("data").getString("job_id");
      } finally {
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        first.waitFor(10, TimeUnit.SECONDS);
      }
      // The crashed agent's apt-get (its own session) would outlive it; an operator's restart finds it gone
      // only after it ends, so the test ends it.
      killLeftovers(sandbox.root());
    }

    Process second = startAgent(setup);
    try {
      awaitListening(setup, second);
      JsonObject restarted = send(setup, "GET", "/api/v1/jobs/" + running, null).getJsonObject("data");
      assertThat(restarted.getString("status")).isEqualTo("failed");
      assertThat(restarted.getString("error_code")).isEqualTo("AGENT_RESTARTED");
      await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(
          send(setup, "GET", "/api/v1/jobs/" + pending, null).getJsonObject("data").getString("status")));
      JsonObject removed = send(setup, "GET", "/api/v1/jobs/" + pending, null).getJsonObject("data");
      assertThat(removed.getJsonArray("changes").encode()).contains("demo-tool");
    } finally {
      second.destroy();
      if (!second.waitFor(20, TimeUnit.SECONDS)) {
        second.destroyForcibly();
      }
    }
  }
}
