package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The job overhead figure of every backend (issues 4, 12, 13), one method for all: the same transactions (install
 * demo-app with its dependency demo-lib, remove demo-app, remove demo-lib where the package manager kept it) run
 * directly with the package manager's own command ({@link BackendFixture#installDirectly}) and as agent jobs through
 * the API, alternately, on the same demo sandbox; medians of 20 rounds after two warm-up rounds, the install on its own and the whole round. The
 * agent's time is from sending the request to reading the job back as completed over HTTPS (polling every 5 ms):
 * the plan at submission, both fsyncs, the audit records, the lock check and the read-back included. Prints the
 * numbers and writes them to target/benchmark/job-overhead-BACKEND.txt; asserts only that every run did the work.
 */
@Tag("benchmark")
@ParameterizedClass(name = "{0}")
@MethodSource("backends")
class JobOverheadBenchmark {

  static final int RUNS = 20;

  static Stream<BackendFixture> backends() {
    return Stream.of(new AptFixture(), new DnfFixture(), new PacmanFixture());
  }

  @Parameter
  BackendFixture fixture;

  @TempDir
  Path dir;

  /** Per job, from its own timestamps: time in the queue (admission to start) and running time. */
  private final List<Long> queued = new ArrayList<>();
  private final List<Long> ran = new ArrayList<>();

  @Test
  @DisplayName("agent job vs the package manager's own command: median of 20 installs and removes on one sandbox")
  void overhead() throws Exception {
    assumeTrue(fixture.missing() == null, fixture.name() + ": " + fixture.missing());
    try (AgentUnderTest agent = new AgentUnderTest(dir)) {
      agent.useSandbox(fixture.create(dir), AgentUnderTest.TEST_CLIENT_ADMIN);
      agent.start();
      List<Long> directInstall = new ArrayList<>();
      List<Long> agentInstall = new ArrayList<>();
      List<Long> directRound = new ArrayList<>();
      List<Long> agentRound = new ArrayList<>();
      for (int i = 0; i < RUNS + 2; i++) {
        long[] direct = timeDirect();
        long[] viaAgent = timeAgent(agent);
        if (i >= 2) { // two warm-up rounds: JIT, page cache
          directInstall.add(direct[0]);
          directRound.add(direct[1]);
          agentInstall.add(viaAgent[0]);
          agentRound.add(viaAgent[1]);
        }
      }
      double di = median(directInstall) / 1e6;
      double gi = median(agentInstall) / 1e6;
      double dr = median(directRound) / 1e6;
      double gr = median(agentRound) / 1e6;
      String report = String.format("%s job overhead (median of %d rounds):%n"
          + "  install demo-app (+demo-lib): direct %7.1f ms, agent job %7.1f ms, overhead %7.1f ms%n"
          + "  round (install, remove, remove): direct %7.1f ms, agent jobs %7.1f ms, overhead %7.1f ms (x%.2f)%n"
          + "  per job: created->started %.1f ms, started->completed %.1f ms (medians of %d jobs)%n",
          fixture.name(), RUNS, di, gi, gi - di, dr, gr, gr - dr, gr / dr, median(queued) / 1e6,
          median(ran) / 1e6, ran.size());
      System.out.print(report);
      Path out = Path.of("target/benchmark/job-overhead-" + fixture.name() + ".txt");
      Files.createDirectories(out.getParent());
      Files.writeString(out, report);
    }
    // A read the stopped agent had started (its package meters) may still be ending in the sandbox.
    await().atMost(Duration.ofSeconds(30)).until(() -> fixture.processes().isEmpty());
  }

  /** The install's time and the whole round's. */
  private long[] timeDirect() {
    long start = System.nanoTime();
    fixture.installDirectly("demo-app");
    long installed = System.nanoTime();
    assertThat(fixture.installed()).containsKeys("demo-app", "demo-lib");
    long checked = System.nanoTime();
    fixture.removeDirectly("demo-app");
    long removed = System.nanoTime();
    boolean libLeft = libraryLeft();
    long libChecked = System.nanoTime();
    if (libLeft) {
      fixture.removeDirectly("demo-lib");
    }
    long end = System.nanoTime();
    return new long[] {installed - start, end - start - (checked - installed) - (libChecked - removed)};
  }

  private long[] timeAgent(AgentUnderTest agent) throws Exception {
    long start = System.nanoTime();
    long installed;
    long checked;
    long removed;
    long libChecked;
    try (TlsClient client = agent.connect()) {
      awaitCompleted(client, jobOf(client.exchange("POST", "/api/v1/packages",
          "{\"packages\":[{\"name\":\"demo-app\"}]}", "Content-Type: application/json")));
      installed = System.nanoTime();
      assertThat(fixture.installed()).containsKeys("demo-app", "demo-lib");
      checked = System.nanoTime();
      awaitCompleted(client, jobOf(client.exchange("DELETE", "/api/v1/packages/demo-app", null)));
      removed = System.nanoTime();
      boolean libLeft = libraryLeft();
      libChecked = System.nanoTime();
      if (libLeft) {
        awaitCompleted(client, jobOf(client.exchange("DELETE", "/api/v1/packages/demo-lib", null)));
      }
    }
    return new long[] {installed - start, System.nanoTime() - start - (checked - installed) - (libChecked - removed)};
  }

  /**
   * Whether demo-lib is still installed after demo-app's removal: dnf removes a dependency nothing needs any more
   * with the package ({@code clean_requirements_on_remove}), apt and pacman keep it. Not counted in either time.
   */
  private boolean libraryLeft() {
    return fixture.installed().containsKey("demo-lib");
  }

  private static String jobOf(TlsClient.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    return new JsonObject(response.body()).getJsonObject("data").getString("job_id");
  }

  private void awaitCompleted(TlsClient client, String id) throws java.io.IOException {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
      String status = new JsonObject(client.get("/api/v1/jobs/" + id).body()).getJsonObject("data").getString("status");
      assertThat(status).isIn("pending", "running", "completed");
      return status.equals("completed");
    });
    JsonObject job = new JsonObject(client.get("/api/v1/jobs/" + id).body()).getJsonObject("data");
    Instant created = Instant.parse(job.getString("created_at"));
    Instant started = Instant.parse(job.getString("started_at"));
    Instant completed = Instant.parse(job.getString("completed_at"));
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
