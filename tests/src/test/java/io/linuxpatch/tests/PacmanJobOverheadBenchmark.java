package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.packages.backend.pacman.sandbox.PacmanSandbox;
import io.linuxpatch.process.ProcessResult;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's overhead figure, measured as {@link JobOverheadBenchmark} measures apt's: the same pacman transactions
 * (install demo-app with its dependency demo-lib, remove demo-app, remove demo-lib) run directly
 * ({@code pacman --config … --noconfirm -S|-R -- NAME}) and as agent jobs through the API, alternately, on the same
 * demo sandbox; medians of 20 rounds after two warm-up rounds, the install on its own and the whole round. The
 * agent's time is from sending the request to reading the job back as completed over HTTPS (polling every 5 ms):
 * the plan ({@code --print}) at submission, both fsyncs, the audit records, the lock check and the read-back
 * included. Prints the numbers and writes them to target/benchmark/pacman-job-overhead.txt; asserts only that every
 * run did the work.
 */
@Tag("benchmark")
class PacmanJobOverheadBenchmark {

  static final int RUNS = 20;

  @TempDir
  Path dir;

  @Test
  @DisplayName("agent job vs direct pacman: median of 20 installs and removes on the same sandbox")
  void overhead() throws Exception {
    PacmanFixture fixture = new PacmanFixture();
    assumeTrue(fixture.missing() == null, fixture.missing());
    try (AgentUnderTest agent = new AgentUnderTest(dir)) {
      PacmanSandbox sandbox = PacmanSandbox.createDemo(dir.resolve("sandbox"));
      agent.useSandbox(sandbox.config(), AgentUnderTest.TEST_CLIENT_ADMIN);
      agent.start();
      List<Long> directInstall = new ArrayList<>();
      List<Long> agentInstall = new ArrayList<>();
      List<Long> directRound = new ArrayList<>();
      List<Long> agentRound = new ArrayList<>();
      for (int i = 0; i < RUNS + 2; i++) {
        long[] d = timeDirect(sandbox);
        long[] g = timeAgent(agent);
        if (i >= 2) { // two warm-up rounds: JIT, page cache
          directInstall.add(d[0]);
          directRound.add(d[1]);
          agentInstall.add(g[0]);
          agentRound.add(g[1]);
        }
      }
      double di = median(directInstall) / 1e6;
      double gi = median(agentInstall) / 1e6;
      double dr = median(directRound) / 1e6;
      double gr = median(agentRound) / 1e6;
      String report = String.format("pacman job overhead (median of %d rounds):%n"
          + "  install demo-app (+demo-lib): direct pacman %7.1f ms, agent job %7.1f ms, overhead %7.1f ms%n"
          + "  round (install, remove, remove): direct %7.1f ms, agent jobs %7.1f ms, overhead %7.1f ms (x%.2f)%n",
          RUNS, di, gi, gi - di, dr, gr, gr - dr, gr / dr);
      System.out.print(report);
      Path out = Path.of("target/benchmark/pacman-job-overhead.txt");
      Files.createDirectories(out.getParent());
      Files.writeString(out, report);
    }
  }

  /** The install's time and the whole round's. */
  private static long[] timeDirect(PacmanSandbox sandbox) {
    long start = System.nanoTime();
    pacman(sandbox, "--noconfirm", "-S", "--", "demo-app");
    long installed = System.nanoTime();
    pacman(sandbox, "--noconfirm", "-R", "--", "demo-app");
    pacman(sandbox, "--noconfirm", "-R", "--", "demo-lib");
    return new long[] {installed - start, System.nanoTime() - start};
  }

  private static void pacman(PacmanSandbox sandbox, String... args) {
    ProcessResult result = sandbox.pacman(args);
    assertThat(result.exitCode()).as(result.stderr().text()).isZero();
  }

  private static long[] timeAgent(AgentUnderTest agent) throws Exception {
    long start = System.nanoTime();
    long installed;
    try (TlsClient client = agent.connect()) {
      awaitCompleted(client, jobOf(client.exchange("POST", "/api/v1/packages",
          "{\"packages\":[{\"name\":\"demo-app\"}]}", "Content-Type: application/json")));
      installed = System.nanoTime();
      awaitCompleted(client, jobOf(client.exchange("DELETE", "/api/v1/packages/demo-app", null)));
      awaitCompleted(client, jobOf(client.exchange("DELETE", "/api/v1/packages/demo-lib", null)));
    }
    return new long[] {installed - start, System.nanoTime() - start};
  }

  private static String jobOf(TlsClient.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    return new JsonObject(response.body()).getJsonObject("data").getString("job_id");
  }

  private static void awaitCompleted(TlsClient client, String id) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
      String status = new JsonObject(client.get("/api/v1/jobs/" + id).body()).getJsonObject("data").getString("status");
      assertThat(status).isIn("pending", "running", "completed");
      return status.equals("completed");
    });
  }

  private static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }
}
