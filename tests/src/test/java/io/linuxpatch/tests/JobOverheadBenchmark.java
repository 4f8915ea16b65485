package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.packages.backend.apt.sandbox.DemoSandbox;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
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
 * Issue 4's overhead figure: the same apt-get transactions (install demo-app with its dependency, remove
 * demo-app, remove demo-lib: three runs) run directly and as agent jobs through the API, alternately, on the same sandbox; medians of
 * 20 each. The agent's time is from sending the request to reading the job back as completed over HTTPS
 * (polling every 5 ms), so it includes the plan, both fsyncs, the audit records and the read-back.
 * Prints the numbers and writes them to target/benchmark/job-overhead.txt; asserts only that every run did
 * the work.
 */
@Tag("benchmark")
class JobOverheadBenchmark {

  static final int RUNS = 20;

  @TempDir
  Path dir;

  @Test
  @DisplayName("agent job vs direct apt-get: median of 20 installs and removes on the same sandbox")
  void overhead() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-get")), "apt-get is needed");
    try (AgentUnderTest agent = new AgentUnderTest(dir)) {
      DemoSandbox sandbox = agent.useDemoSandbox(AgentUnderTest.TEST_CLIENT_ADMIN);
      agent.start();
      ProcessRunner runner = ProcessRunner.create();
      List<Long> direct = new ArrayList<>();
      List<Long> viaAgent = new ArrayList<>();
      queued.clear();
      ran.clear();
      for (int i = 0; i < RUNS + 2; i++) {
        long a = timeDirect(runner, sandbox);
        long b = timeAgent(agent);
        if (i >= 2) { // two warm-up rounds: JIT, page cache
          direct.add(a);
          viaAgent.add(b);
        }
      }
      double d = median(direct) / 1e6;
      double g = median(viaAgent) / 1e6;
      String report = String.format("job overhead (install demo-app, remove demo-app, remove demo-lib; median of %d rounds):%n"
          + "  direct apt-get   %8.1f ms%n  agent jobs       %8.1f ms%n  overhead         %8.1f ms (x%.2f)%n"
          + "  per job: created→started %.1f ms, started→completed %.1f ms (medians of %d jobs)%n",
          RUNS, d, g, g - d, g / d, median(queued) / 1e6, median(ran) / 1e6, ran.size());
      System.out.print(report);
      Path out = Path.of("target/benchmark/job-overhead.txt");
      Files.createDirectories(out.getParent());
      Files.writeString(out, report);
    }
  }

  private static long timeDirect(ProcessRunner runner, DemoSandbox sandbox) {
    long start = System.nanoTime();
    apt(runner, sandbox, "install", "--", "demo-app");
    apt(runner, sandbox, "remove", "--", "demo-app");
    apt(runner, sandbox, "remove", "--", "demo-lib");
    return System.nanoTime() - start;
  }

  private static void apt(ProcessRunner runner, DemoSandbox sandbox, String... args) {
    List<String> argv = new ArrayList<>(List.of("/usr/bin/apt-get", "-y", "-q"));
    argv.addAll(List.of(args));
    ProcessResult result = runner.run(ProcessSpec.of(argv).withExtraEnv(sandbox.aptEnvironment()));
    assertThat(result.exitCode()).as(result.stderr().text()).isZero();
  }

  private static long timeAgent(AgentUnderTest agent) throws Exception {
    long start = System.nanoTime();
    try (TlsClient client = agent.connect()) {
      String install = jobOf(client.exchange("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}",
          "Content-Type: application/json"));
      awaitCompleted(client, install);
      String remove = jobOf(client.exchange("DELETE", "/api/v1/packages/demo-app", null));
      awaitCompleted(client, remove);
      String lib = jobOf(client.exchange("DELETE", "/api/v1/packages/demo-lib", null));
      awaitCompleted(client, lib);
    }
    return System.nanoTime() - start;
  }

  private static String jobOf(TlsClient.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    return new JsonObject(response.body()).getJsonObject("data").getString("job_id");
  }

  /** Per job, from its own timestamps: time in the queue (admission to start) and running time. */
  private static final List<Long> queued = new ArrayList<>();
  private static final List<Long> ran = new ArrayList<>();

  private static void awaitCompleted(TlsClient client, String id) throws java.io.IOException {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
      String status = new JsonObject(client.get("/api/v1/jobs/" + id).body()).getJsonObject("data").getString("status");
      assertThat(status).isIn("pending", "running", "completed");
      return status.equals("completed");
    });
    JsonObject job = new JsonObject(client.get("/api/v1/jobs/" + id).body()).getJsonObject("data");
    java.time.Instant created = java.time.Instant.parse(job.getString("created_at"));
    java.time.Instant started = java.time.Instant.parse(job.getString("started_at"));
    java.time.Instant completed = java.time.Instant.parse(job.getString("completed_at"));
    queued.add(Duration.between(created, started).toNanos());
    ran.add(Duration.between(started, completed).toNanos());
  }

  private static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }
}
