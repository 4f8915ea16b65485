package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OPS-2 with a real process: the agent's command line in a child JVM gets SIGTERM (as systemd sends it, the unit's
 * {@code KillMode=process} signalling only the JVM) while a package job runs, its apt-get waiting for dpkg's lock
 * in a session of its own.
 */
@Tag("OPS-2")
class GracefulStopTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("SIGTERM mid-job: no more connections, exit within 10 s, audit flushed (the last read, a durable "
      + "agent_stop), apt-get not taken down; the next start records the job as interrupted with what really changed")
  void sigtermMidJob() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    assumeTrue(LockHolder.available(), "python3 is needed to hold dpkg's lock like another program");
    AgentUnderTest setup = new AgentUnderTest(dir);
    var sandbox = setup.useDemoSandbox("jobs:\n  lock_wait_seconds: 120\n" + AgentUnderTest.TEST_CLIENT_ADMIN);
    String running;
    List<ProcessHandle> aptGet;
    try (LockHolder holder = LockHolder.hold(sandbox.root())) {
      ChildAgent agent = ChildAgent.start(setup);
      try {
        running = agent.send("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}")
            .getJsonObject("data").getString("job_id");
        // apt-get is there, waiting for the lock the test holds.
        await().atMost(Duration.ofSeconds(20)).until(() -> !SandboxProcesses.of(sandbox, holder.pid()).isEmpty());
        aptGet = SandboxProcesses.of(sandbox, holder.pid());
        // A read right before the signal: read records are written in batches, so this one is still in memory.
        try (TlsClient client = setup.connect()) {
          assertThat(client.get("/api/v1/jobs/" + running, "X-Request-ID: last-read-before-stop").status())
              .isEqualTo(200);
        }
        long signalled = System.nanoTime();
        assertThat(agent.stop()).as("the agent exited after SIGTERM").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(10));
      } finally {
        agent.close();
      }
      assertThat(aptGet).as("apt-get outlives the agent's stop").anyMatch(ProcessHandle::isAlive);
      assertThatRefused(setup);
    }
    // The lock is free: the apt-get the agent left alone goes on by itself, and ends.
    await().atMost(Duration.ofSeconds(60)).until(() -> aptGet.stream().noneMatch(ProcessHandle::isAlive));
    boolean installed = installedInSandbox(sandbox.root());

    List<String> events = setup.auditRecords().stream()
        .map(r -> "last-read-before-stop".equals(r.getString("request_id")) ? "last-read" : r.getString("event"))
        .toList();
    assertThat(events).as("the read record flushed at stop").contains("last-read");
    // The durable stop record after it; after that only the seal's checkpoint at stop (AUD-5).
    List<String> tail = events.subList(events.lastIndexOf("last-read") + 1, events.size());
    assertThat(tail).as("records after the last read").contains("agent_stop");
    assertThat(tail.subList(tail.indexOf("agent_stop") + 1, tail.size())).allMatch("audit_checkpoint"::equals);
    assertThat(new picocli.CommandLine(new io.linuxpatch.agent.Main())
        .execute("audit", "verify", dir.resolve("log").toString())).isZero();

    // The next start records the job as interrupted, checks the database, and lists what really changed.
    try (ChildAgent next = ChildAgent.start(setup)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> next.send("GET", "/api/v1/jobs/" + running, null)
          .getJsonObject("data").getJsonArray("logs").encode().contains("database check"));
      JsonObject job = next.send("GET", "/api/v1/jobs/" + running, null).getJsonObject("data");
      assertThat(job.getString("status")).as(job.encode()).isEqualTo("failed");
      assertThat(job.getString("error_code")).isEqualTo("AGENT_RESTARTED");
      assertThat(job.getString("message")).contains("stopped");
      assertThat(job.getJsonArray("logs").encode()).contains("had already ended");
      assertThat(job.getJsonArray("changes").encode().contains("demo-app")).as("changes %s, demo-app installed: %s",
          job.getJsonArray("changes"), installed).isEqualTo(installed);
    }
  }

  /** Whether the sandbox's own dpkg database has demo-app installed. */
  private static boolean installedInSandbox(Path root) throws Exception {
    var query = io.linuxpatch.process.ProcessRunner.create().run(io.linuxpatch.process.ProcessSpec.of(List.of(
        "/usr/bin/dpkg-query", "--admindir=" + root.resolve("var/lib/dpkg"), "-W", "-f", "${Status}", "demo-app")));
    return query.exitCode() == 0 && query.stdout().text().contains("install ok installed");
  }

  /** Nothing listens on the agent's port any more. */
  private static void assertThatRefused(AgentUnderTest setup) {
    assertThatThrownBy(() -> {
      try (Socket socket = new Socket("127.0.0.1", setup.port)) {
        socket.getInputStream().read();
      }
    }).isInstanceOf(ConnectException.class);
  }
}
