package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JOB-5/JOB-7 on every backend with a real crash (issue 12's "kill -9 of the agent mid-job"): the agent in a child
 * JVM is killed with SIGKILL while its package manager runs a slow install scriptlet and a second job waits. The
 * agent started again on the same files ends the crashed run's leftover processes, checks and repairs the package
 * database with the backend's own tools, fails the interrupted job with AGENT_RESTARTED and runs the waiting one.
 */
@Tag("JOB-5")
@Tag("JOB-7")
@ParameterizedClass(name = "{0}")
@MethodSource("backends")
@DisplayName("kill -9 of the agent mid-job, on every backend")
class BackendCrashTest {

  static Stream<BackendFixture> backends() {
    return Stream.of(new AptFixture(), new DnfFixture(), new PacmanFixture());
  }

  @Parameter
  BackendFixture fixture;

  @TempDir
  Path dir;

  @Test
  @DisplayName("the running job fails AGENT_RESTARTED, its processes are ended, the waiting job runs, the database is usable")
  void killNineMidJob() throws Exception {
    assumeTrue(fixture.missing() == null, fixture.name() + ": " + fixture.missing());
    AgentUnderTest setup = new AgentUnderTest(dir);
    setup.useSandbox(fixture.create(Files.createDirectories(dir.resolve("backend"))), AgentUnderTest.TEST_CLIENT_ADMIN);
    fixture.addSlowScriptlet("demo-slow", 300);
    String running;
    String pending;
    ChildAgent first = ChildAgent.start(setup);
    try {
      running = jobId(first.send("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-slow\"}]}"));
      await().atMost(Duration.ofSeconds(60)).until(() -> fixture.slowScriptletStarted("demo-slow"));
      pending = jobId(first.send("DELETE", "/api/v1/packages/demo-tool", null));
    } finally {
      first.kill();
    }
    assertThat(fixture.processes()).as("the crashed agent's package manager still runs").isNotEmpty();

    try (ChildAgent second = ChildAgent.start(setup)) {
      JsonObject interrupted = second.send("GET", "/api/v1/jobs/" + running, null).getJsonObject("data");
      assertThat(interrupted.getString("status")).isEqualTo("failed");
      assertThat(interrupted.getString("error_code")).isEqualTo("AGENT_RESTARTED");
      await().atMost(Duration.ofSeconds(120)).until(() -> "completed".equals(
          second.send("GET", "/api/v1/jobs/" + pending, null).getJsonObject("data").getString("status")));
      assertThat(second.send("GET", "/api/v1/jobs/" + pending, null).getJsonObject("data")
          .getJsonArray("changes").encode()).contains("demo-tool");
      assertThat(fixture.installed()).doesNotContainKey("demo-tool");
      await().atMost(Duration.ofSeconds(30)).until(() -> fixture.processes().isEmpty());
      // The database is usable again: the package manager's own simulation and a real job both work.
      assertThat(fixture.simulatedInstall("demo-app")).contains("demo-app", "demo-lib");
      String install = jobId(second.send("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}"));
      await().atMost(Duration.ofSeconds(120)).until(() -> !second.send("GET", "/api/v1/jobs/" + install, null)
          .getJsonObject("data").getString("status").matches("pending|running"));
      JsonObject installed = second.send("GET", "/api/v1/jobs/" + install, null).getJsonObject("data");
      assertThat(installed.getString("status")).as(installed.encode()).isEqualTo("completed");
      assertThat(fixture.installed()).containsKeys("demo-app", "demo-lib");
    }
    // A read the stopped agent had started (its package meters) may still be ending in the sandbox.
    await().atMost(Duration.ofSeconds(30)).until(() -> fixture.processes().isEmpty());
  }

  private static String jobId(JsonObject answer) {
    assertThat(answer.getInteger("_status")).as(answer.encode()).isEqualTo(202);
    return answer.getJsonObject("data").getString("job_id");
  }
}
