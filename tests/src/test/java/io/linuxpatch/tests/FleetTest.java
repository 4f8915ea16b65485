package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.apt.sandbox.DebPackage;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OPR-1: {@code linux-patch-api fleet} as an operator runs it (a child JVM) against several real developer-mode
 * agents that share one CA, each on its own apt demo sandbox; what changed is read back from each sandbox's own dpkg
 * database.
 */
@Tag("OPR-1")
class FleetTest {

  @TempDir
  Path work;
  DevFleet fleet;

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  @DisplayName("OPR-1: status of all hosts, a reviewed plan applied in batches of 2: a stale host skipped, a failing "
      + "host stops the rollout after --max-failures 1 with the next batch untouched, a down host reported; the run "
      + "rolled back restores every host")
  void reviewedRollout() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    fleet = DevFleet.start(work, 4);
    String down = "https://localhost:" + AgentUnderTest.freePort();
    // h3's next security update fails in its maintainer script.
    fleet.member(2).sandbox().publishSecurityUpdate(DebPackage.of("demo-ssl", "1.0+deb2",
        "demo TLS library\nIts postinst fails.").withSource("demo-ssl-src").withPostinst(
        "if [ \"$1\" = configure ]; then echo 'demo-ssl: cannot configure' >&2; exit 1; fi\n"));
    // Batches of 2: [h1, down] [h2, h3] [h4].
    Path hosts = Files.writeString(work.resolve("hosts"), "# the test fleet\n" + fleet.member(0).url() + "\n" + down
        + "   # switched off\n\n" + fleet.member(1).url() + "\n" + fleet.member(2).url() + "\n" + fleet.member(3).url() + "\n");

    ExternalCommand status = fleet.fleet("status", "--hosts", hosts.toString(), "--json");
    assertThat(status.exitCode()).as(status.output()).isEqualTo(3);
    Map<String, JsonObject> rows = byHost(jsonLines(status.output()));
    assertThat(rows).hasSize(5);
    assertThat(rows.get(down).getBoolean("reachable")).isFalse();
    assertThat(rows.get(down).getString("error_code")).isEqualTo("UNREACHABLE");
    for (DevFleet.Member member : fleet.members) {
      JsonObject row = rows.get(member.url());
      assertThat(row.getBoolean("reachable")).as(row.encode()).isTrue();
      assertThat(row.getString("backend")).isEqualTo("apt");
      assertThat(row.getInteger("updates")).as("demo-tool and demo-ssl").isEqualTo(2);
      assertThat(row.getJsonObject("security").stream().mapToInt(e -> (Integer) e.getValue()).sum())
          .as("demo-ssl, by severity: " + row.encode()).isEqualTo(1);
      assertThat(row.getInteger("running_jobs")).isZero();
      assertThat(row.getLong("certificate_days_left")).isGreaterThan(300);
    }

    assertThat(rows.get(fleet.member(0).url()).getJsonObject("security").getInteger("high"))
        .as("the demo feed's CVE-2026-0001 is high").isEqualTo(1);

    Path planFile = work.resolve("p.json");
    ExternalCommand plan = fleet.fleet("plan", "--security-only", "--out", planFile.toString(), "--hosts",
        hosts.toString());
    assertThat(plan.exitCode()).as(plan.output()).isEqualTo(3);
    assertThat(plan.output()).as("one merged review").containsPattern("demo-ssl\\s+upgrade\\s+1\\.0\\s+1\\.0\\+deb1\\s+3/5")
        .containsPattern("demo-ssl\\s+upgrade\\s+1\\.0\\s+1\\.0\\+deb2\\s+1/5").contains(down + "  ").contains("UNREACHABLE");
    JsonObject reviewed = new JsonObject(Files.readString(planFile));
    assertThat(reviewed.getJsonObject("request").getBoolean("security_only")).isTrue();
    assertThat(reviewed.getJsonArray("hosts")).hasSize(5);

    // h2 changes after the review: its plan is stale now.
    fleet.member(1).sandbox().installDirectly("demo-app");

    Path run = work.resolve("run.json");
    ExternalCommand apply = fleet.fleet("apply", "--plan", planFile.toString(), "--batch", "2", "--max-failures", "1",
        "--record", run.toString(), "--json");
    assertThat(apply.exitCode()).as("5: stopped after --max-failures\n" + apply.output()).isEqualTo(5);
    List<JsonObject> events = jsonLines(apply.output());
    Map<String, JsonObject> results = byHost(events.stream().filter(e -> "result".equals(e.getString("event"))).toList());
    assertThat(results.get(fleet.member(0).url()).getString("outcome")).isEqualTo("completed");
    assertThat(results.get(down).getString("outcome")).isEqualTo("unreachable");
    assertThat(results.get(fleet.member(1).url()).getString("outcome")).isEqualTo("stale");
    assertThat(results.get(fleet.member(1).url()).getString("error_code")).isEqualTo("PLAN_STALE");
    assertThat(results.get(fleet.member(2).url()).getString("outcome")).isEqualTo("failed");
    assertThat(results.get(fleet.member(2).url()).getString("error_code")).isEqualTo("MAINTAINER_SCRIPT_FAILED");
    assertThat(results.get(fleet.member(3).url()).getString("outcome")).isEqualTo("not_started");
    assertThat(events).as("live progress of h1's job").anyMatch(e -> "job".equals(e.getString("event"))
        && fleet.member(0).url().equals(e.getString("host")));
    assertThat(events.get(events.size() - 1).getString("event")).isEqualTo("summary");

    assertThat(fleet.member(0).sandbox().installed()).containsEntry("demo-ssl", "1.0+deb1");
    assertThat(fleet.member(1).sandbox().installed()).as("stale: not patched blindly").containsEntry("demo-ssl", "1.0");
    assertThat(fleet.member(3).sandbox().installed()).as("the batch after the failure is untouched")
        .containsEntry("demo-ssl", "1.0");
    ExternalCommand jobs = fleet.fleet("jobs", "--host", fleet.member(3).url(), "--host", fleet.member(0).url(), "--json");
    assertThat(jobs.exitCode()).as(jobs.output()).isZero();
    assertThat(jsonLines(jobs.output())).as("h4 never got a job; h1 got one").hasSize(1)
        .allMatch(j -> j.getString("host").equals(fleet.member(0).url()));

    JsonObject record = new JsonObject(Files.readString(run));
    assertThat(record.getJsonArray("hosts")).hasSize(5);

    ExternalCommand rollback = fleet.fleet("rollback", "--run", run.toString(), "--batch", "2", "--json");
    assertThat(rollback.exitCode()).as(rollback.output()).isZero();
    Map<String, JsonObject> undone = byHost(jsonLines(rollback.output()).stream()
        .filter(e -> "result".equals(e.getString("event"))).toList());
    assertThat(undone.get(fleet.member(0).url()).getString("outcome")).isEqualTo("completed");
    assertThat(undone.get(fleet.member(2).url()).getString("outcome")).isEqualTo("completed");
    assertThat(undone.get(fleet.member(1).url()).getString("outcome")).isEqualTo("nothing_to_do");
    for (int i : new int[] {0, 2}) {
      assertThat(fleet.member(i).sandbox().installed()).as("h%d restored", i + 1).containsEntry("demo-ssl", "1.0");
    }
  }

  @Test
  @DisplayName("OPR-1: piped, apply prints plain lines and no escape codes; the same plan applied again returns the "
      + "first jobs (Idempotency-Key) and a new review new ones; in a real terminal (tmux) the rollback draws progress "
      + "bars")
  void progressOnPipesAndTerminals() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    fleet = DevFleet.start(work, 2);
    assertThat(Files.readString(fleet.member(1).layout().caCert())).as("dev --ca-from: one CA")
        .isEqualTo(Files.readString(fleet.member(0).layout().caCert()));
    String[] hosts = {"--host", fleet.member(0).url(), "--host", fleet.member(1).url()};
    Path planFile = work.resolve("p.json");
    ExternalCommand plan = fleet.fleet(concat(hosts, "plan", "--out", planFile.toString(), "--json"));
    assertThat(plan.exitCode()).as(plan.output()).isZero();
    assertThat(jsonLines(plan.output())).hasSize(2).allMatch(l -> l.getString("plan_id").matches("[0-9a-f]{64}"))
        .allMatch(l -> l.getJsonObject("plan").getJsonArray("upgrade").size() == 2);

    Path first = work.resolve("first.json");
    ExternalCommand apply = fleet.fleet("apply", "--plan", planFile.toString(), "--batch", "1", "--record",
        first.toString());
    assertThat(apply.exitCode()).as(apply.output()).isZero();
    assertThat(apply.output()).as("not a terminal: no escape codes").doesNotContain("\u001b[")
        .containsPattern("(?m)^" + fleet.member(0).url() + "  completed").contains("OUTCOME");
    Path again = work.resolve("again.json");
    ExternalCommand repeat = fleet.fleet("apply", "--plan", planFile.toString(), "--record", again.toString());
    assertThat(repeat.exitCode()).as(repeat.output()).isZero();
    assertThat(jobIds(again)).as("API-5: the same plan applied again answers the first jobs").isEqualTo(jobIds(first));
    for (DevFleet.Member member : fleet.members) {
      assertThat(member.sandbox().installed()).containsEntry("demo-ssl", "1.0+deb1").containsEntry("demo-tool", "1.1");
    }

    org.junit.jupiter.api.Assumptions.assumeTrue(ExternalCommand.available("tmux"), "tmux is not installed");
    try (TmuxPane pane = TmuxPane.start(work, fleet.fleetCommandLine("rollback", "--run", first.toString()))) {
      String screen = pane.awaitExit();
      assertThat(screen).as(screen).contains("FLEET-EXIT=0")
          .containsPattern(java.util.regex.Pattern.quote(fleet.member(0).url()) + " +\\[#{24}\\] 100%  completed")
          .containsPattern(java.util.regex.Pattern.quote(fleet.member(1).url()) + " +\\[#{24}\\] 100%  completed");
    }
    for (DevFleet.Member member : fleet.members) {
      assertThat(member.sandbox().installed()).containsEntry("demo-ssl", "1.0").containsEntry("demo-tool", "1.0");
    }
    // Back to the reviewed state, so the same plan ids: a new review still starts new jobs (its own review_id).
    Path review = work.resolve("p2.json");
    assertThat(fleet.fleet(concat(hosts, "plan", "--out", review.toString())).exitCode()).isZero();
    Path second = work.resolve("second.json");
    ExternalCommand reapply = fleet.fleet("apply", "--plan", review.toString(), "--record", second.toString());
    assertThat(reapply.exitCode()).as(reapply.output()).isZero();
    assertThat(jobIds(second)).doesNotContainAnyElementsOf(jobIds(first));
    assertThat(fleet.member(0).sandbox().installed()).containsEntry("demo-ssl", "1.0+deb1");
  }

  @Test
  @DisplayName("OPR-1: fleet watch follows every host's job events as JSON lines, names a down host, and shows a job "
      + "that fleet apply (fresh plan, no review) runs on one host to its job_complete")
  void watchAcrossHosts() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    fleet = DevFleet.start(work, 2);
    String down = "https://localhost:" + AgentUnderTest.freePort();
    Process watch = new ProcessBuilder(fleet.fleetCommandLine("watch", "--json", "--host", fleet.member(0).url(),
        "--host", fleet.member(1).url(), "--host", down)).redirectErrorStream(true).start();
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(watch.getInputStream(),
        java.nio.charset.StandardCharsets.UTF_8)).lines().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();
    try {
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
        Map<String, JsonObject> seen = byHost(jsonLines(String.join("\n", lines)));
        return seen.size() == 3 && "subscribed".equals(seen.get(fleet.member(0).url()).getString("type"))
            && "subscribed".equals(seen.get(fleet.member(1).url()).getString("type"));
      });
      assertThat(byHost(jsonLines(String.join("\n", lines))).get(down).getString("code")).isEqualTo("UNREACHABLE");

      ExternalCommand apply = fleet.fleet("apply", "--security-only", "--host", fleet.member(1).url());
      assertThat(apply.exitCode()).as(apply.output()).isZero();
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
          jsonLines(String.join("\n", lines)).stream().anyMatch(l -> "job_complete".equals(l.getString("type"))
              && fleet.member(1).url().equals(l.getString("host"))
              && "completed".equals(l.getJsonObject("job").getString("status"))));
      assertThat(jsonLines(String.join("\n", lines))).as("no event of the host that ran nothing")
          .noneMatch(l -> fleet.member(0).url().equals(l.getString("host")) && l.containsKey("job"));
      assertThat(fleet.member(1).sandbox().installed()).containsEntry("demo-ssl", "1.0+deb1");
    } finally {
      watch.destroy();
      watch.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  private static List<String> jobIds(Path record) throws java.io.IOException {
    return new JsonObject(Files.readString(record)).getJsonArray("hosts").stream()
        .map(h -> ((JsonObject) h).getString("job_id")).toList();
  }

  private static String[] concat(String[] hosts, String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of(hosts));
    return all.toArray(String[]::new);
  }

  /** The JSON lines of a command's output (its other lines, e.g. logs, are not JSON). */
  static List<JsonObject> jsonLines(String output) {
    return output.lines().filter(l -> l.startsWith("{")).map(JsonObject::new).toList();
  }

  static Map<String, JsonObject> byHost(List<JsonObject> lines) {
    return lines.stream().collect(Collectors.toMap(l -> l.getString("host"), Function.identity(), (a, b) -> b));
  }
}
