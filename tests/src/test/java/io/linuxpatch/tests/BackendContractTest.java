package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every package backend keeps (issue 12, SPEC PKG-1 … PKG-5, JOB-1 … JOB-8): one suite, run on each
 * backend's demo sandbox with its real package manager, an agent in-process, and the expectations taken from the
 * package manager's own tools ({@link BackendFixture}). Each test leaves the sandbox as it found it (a change is
 * rolled back), so they run in any order and alone.
 */
@Tag("PKG-1")
@Tag("PKG-5")
@ParameterizedClass(name = "{0}")
@MethodSource("backends")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Every package backend keeps the same contract on its real package manager")
class BackendContractTest {

  static Stream<BackendFixture> backends() {
    return Stream.of(new AptFixture(), new DnfFixture(), new PacmanFixture());
  }

  @Parameter
  BackendFixture fixture;

  @TempDir
  static Path root;
  private AgentUnderTest agent;

  @BeforeParameterizedClassInvocation
  void start() throws Exception {
    String missing = fixture.missing();
    assumeTrue(missing == null, fixture.name() + ": " + missing);
    Path dir = Files.createDirectories(root.resolve(fixture.name()));
    agent = new AgentUnderTest(dir);
    agent.useSandbox(fixture.create(dir), "jobs:\n  lock_wait_seconds: 3\n  timeout_minutes: 1\n"
        + AgentUnderTest.TEST_CLIENT_ADMIN);
    agent.start();
  }

  @AfterParameterizedClassInvocation
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  // --- reads ---------------------------------------------------------------------------------------------

  @Test
  @Tag("PKG-2")
  @DisplayName("the installed listing is the package manager's own list of installed packages")
  void listing() throws Exception {
    Map<String, String> listed = new TreeMap<>();
    for (Object p : get("/api/v1/packages?limit=1000").getJsonArray("packages")) {
      JsonObject row = (JsonObject) p;
      listed.put(row.getString("name"), row.getString("version"));
    }
    assertThat(listed).isEqualTo(fixture.installed()).containsKeys("demo-base", "demo-tool", "demo-ssl", "demo-legacy");
  }

  @Test
  @Tag("PKG-2")
  @DisplayName("a package installed, then removed, behind the agent's back with the package manager's own command "
      + "shows on the next listing: the cache follows the database's files")
  void changedBehindTheAgentsBack() throws Exception {
    Map<String, String> before = listed();
    assertThat(before).isEqualTo(fixture.installed()).doesNotContainKey("demo-app");
    fixture.installDirectly("demo-app");
    Map<String, String> during = fixture.installed();
    try {
      assertThat(during).containsKey("demo-app");
      assertThat(listed()).isEqualTo(during);
    } finally {
      // demo-app first, then what it pulled in: the sandbox as it was.
      fixture.removeDirectly("demo-app");
      during.keySet().stream().filter(name -> !before.containsKey(name) && !name.equals("demo-app"))
          .forEach(fixture::removeDirectly);
    }
    assertThat(fixture.installed()).isEqualTo(before);
    assertThat(listed()).isEqualTo(before);
  }

  /** The agent's listing of installed packages, name to version. */
  private Map<String, String> listed() throws Exception {
    Map<String, String> listed = new TreeMap<>();
    for (Object p : get("/api/v1/packages?limit=1000").getJsonArray("packages")) {
      JsonObject row = (JsonObject) p;
      listed.put(row.getString("name"), row.getString("version"));
    }
    return listed;
  }

  @Test
  @DisplayName("details of an installed package; an unknown one is 404 PKG_NOT_FOUND")
  void details() throws Exception {
    JsonObject tool = get("/api/v1/packages/demo-tool");
    assertThat(tool.getString("name")).isEqualTo("demo-tool");
    assertThat(tool.getString("version")).isEqualTo(fixture.toolInstalled());
    assertThat(tool.getBoolean("upgradable")).isTrue();
    assertThat(tool.getString("available_version")).isEqualTo(fixture.toolUpdate());
    JsonObject unknown = send("GET", "/api/v1/packages/demo-nosuch", null);
    assertThat(unknown.getInteger("_status")).isEqualTo(404);
    assertThat(unknown.getJsonObject("error").getString("code")).isEqualTo("PKG_NOT_FOUND");
  }

  @Test
  @Tag("PKG-3")
  @DisplayName("demo-ssl's update is security with its advisory's CVE and severity high; demo-tool's is not security")
  void patches() throws Exception {
    JsonArray patches = get("/api/v1/patches?limit=1000").getJsonArray("patches");
    JsonObject ssl = patchOf(patches, "demo-ssl");
    assertThat(ssl.getBoolean("security")).as(ssl.encode()).isTrue();
    assertThat(ssl.getString("severity")).isEqualTo("high");
    assertThat(ssl.getJsonArray("cve_ids")).containsExactly("CVE-2026-0001");
    assertThat(ssl.getJsonObject("classification").getString("reason")).isNotBlank();
    assertThat(ssl.getJsonArray("packages").getJsonObject(0).getString("available_version"))
        .isEqualTo(fixture.sslUpdate());
    JsonObject tool = patchOf(patches, "demo-tool");
    assertThat(tool.getBoolean("security")).as(tool.encode()).isFalse();
  }

  // --- plans ---------------------------------------------------------------------------------------------

  @Test
  @DisplayName("a dry-run install is the package manager's own simulation (dependency pulled in) and changes nothing")
  void dryRunInstall() throws Exception {
    List<String> before = database();
    JsonObject plan = send("POST", "/api/v1/packages?dry_run=true", "{\"packages\":[{\"name\":\"demo-app\"}]}");
    assertThat(plan.getInteger("_status")).as(plan.encode()).isEqualTo(200);
    assertThat(names(plan.getJsonObject("data").getJsonArray("install")))
        .isEqualTo(fixture.simulatedInstall("demo-app")).containsExactly("demo-app", "demo-lib");
    assertThat(plan.getJsonObject("data").getString("plan_id")).matches("[0-9a-f]{64}");
    assertThat(database()).as("database byte-identical after a dry run").isEqualTo(before);
  }

  @Test
  @DisplayName("installing the conflicting demo-modern plans the removal of demo-legacy")
  void conflictPlan() throws Exception {
    JsonObject plan = send("POST", "/api/v1/packages?dry_run=true", "{\"packages\":[{\"name\":\"demo-modern\"}]}");
    assertThat(plan.getInteger("_status")).as(plan.encode()).isEqualTo(200);
    assertThat(names(plan.getJsonObject("data").getJsonArray("remove"))).containsExactly("demo-legacy");
  }

  @Test
  @DisplayName("a stale plan_id is 409 PLAN_STALE and queues nothing")
  void stalePlan() throws Exception {
    JsonObject stale = send("POST", "/api/v1/packages",
        "{\"packages\":[{\"name\":\"demo-app\"}],\"plan_id\":\"" + "0".repeat(64) + "\"}");
    assertThat(stale.getInteger("_status")).isEqualTo(409);
    assertThat(stale.getJsonObject("error").getString("code")).isEqualTo("PLAN_STALE");
  }

  @Test
  @Tag("SEC-9")
  @DisplayName("hostile names are 400 for every operation and change nothing")
  void hostileNames() throws Exception {
    List<String> before = database();
    for (String name : List.of("-y", "--installroot=/", "demo-tool-", "demo*", "../etc", "demo tool", "perl(Foo)",
        "/bin/sh", "demo-tool=1.0", "demo-tool>=1")) {
      String json = new JsonObject().put("name", name).encode();
      JsonObject dryRun = send("POST", "/api/v1/packages?dry_run=true", "{\"packages\":[" + json + "]}");
      assertThat(dryRun.getInteger("_status")).as("dry-run install %s: %s", name, dryRun.encode()).isEqualTo(400);
      JsonObject install = send("POST", "/api/v1/packages", "{\"packages\":[" + json + "]}");
      assertThat(install.getInteger("_status")).as("install %s: %s", name, install.encode()).isEqualTo(400);
    }
    assertThat(database()).isEqualTo(before);
  }

  // --- jobs ----------------------------------------------------------------------------------------------

  @Test
  @Tag("JOB-1")
  @Tag("JOB-2")
  @Tag("JOB-8")
  @DisplayName("install with a dependency, read back from the database, then rolled back")
  void installAndRollback() throws Exception {
    JsonObject job = run("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}");
    assertThat(job.getString("status")).as(job.encode()).isEqualTo("completed");
    assertThat(names(job.getJsonArray("changes"))).containsExactly("demo-app", "demo-lib");
    assertThat(fixture.installed()).containsKeys("demo-app", "demo-lib");

    JsonObject rollback = run("POST", "/api/v1/jobs/" + job.getString("job_id") + "/rollback", "{}");
    assertThat(rollback.getString("status")).as(rollback.encode()).isEqualTo("completed");
    assertThat(fixture.installed()).doesNotContainKeys("demo-app", "demo-lib");
  }

  @Test
  @Tag("JOB-8")
  @DisplayName("update to the newer version, then rollback to the old one")
  void updateAndRollback() throws Exception {
    JsonObject job = run("PUT", "/api/v1/packages/demo-tool", "{}");
    assertThat(job.getString("status")).as(job.encode()).isEqualTo("completed");
    assertThat(fixture.installed()).containsEntry("demo-tool", fixture.toolUpdate());
    assertThat(job.getJsonArray("changes").getJsonObject(0).getString("action")).isEqualTo("upgrade");

    JsonObject rollback = run("POST", "/api/v1/jobs/" + job.getString("job_id") + "/rollback", "{}");
    assertThat(rollback.getString("status")).as(rollback.encode()).isEqualTo("completed");
    assertThat(fixture.installed()).containsEntry("demo-tool", fixture.toolInstalled());
  }

  @Test
  @Tag("JOB-8")
  @DisplayName("remove, then rollback reinstalls the removed version")
  void removeAndRollback() throws Exception {
    String version = fixture.installed().get("demo-base");
    JsonObject job = run("DELETE", "/api/v1/packages/demo-base?purge=true", null);
    assertThat(job.getString("status")).as(job.encode()).isEqualTo("completed");
    assertThat(fixture.installed()).doesNotContainKey("demo-base");

    JsonObject rollback = run("POST", "/api/v1/jobs/" + job.getString("job_id") + "/rollback", "{}");
    assertThat(rollback.getString("status")).as(rollback.encode()).isEqualTo("completed");
    assertThat(fixture.installed()).containsEntry("demo-base", version);
  }

  @Test
  @DisplayName("a hold keeps the package out of the updates until it is released")
  void hold() throws Exception {
    assertThat(send("PUT", "/api/v1/holds/demo-tool", "{}").getInteger("_status")).isIn(200, 202);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> names(get("/api/v1/holds").getJsonArray("holds"))
          .contains("demo-tool"));
      JsonObject plan = send("POST", "/api/v1/patches/apply?dry_run=true", "{}").getJsonObject("data");
      assertThat(names(plan.getJsonArray("upgrade"))).doesNotContain("demo-tool").contains("demo-ssl");
    } finally {
      assertThat(send("DELETE", "/api/v1/holds/demo-tool", null).getInteger("_status")).isIn(200, 202);
      await().atMost(Duration.ofSeconds(30)).until(() -> !names(get("/api/v1/holds").getJsonArray("holds"))
          .contains("demo-tool"));
    }
  }

  @Test
  @Tag("JOB-4")
  @DisplayName("a lock held by another program makes the job wait, then fail PKG_MANAGER_LOCKED")
  void lockHeld() throws Exception {
    try (AutoCloseable lock = fixture.holdLock()) {
      JsonObject job = run("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}");
      assertThat(job.getString("status")).as(job.encode()).isEqualTo("failed");
      assertThat(job.getString("error_code")).isEqualTo("PKG_MANAGER_LOCKED");
    }
    assertThat(fixture.installed()).doesNotContainKey("demo-app");
  }

  @Test
  @Tag("JOB-3")
  @DisplayName("a failing install scriptlet is MAINTAINER_SCRIPT_FAILED; a repair job leaves the database usable")
  void failingScriptlet() throws Exception {
    fixture.addFailingScriptlet("demo-broken");
    JsonObject job = run("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-broken\"}]}");
    assertThat(job.getString("status")).as(job.encode()).isEqualTo("failed");
    assertThat(job.getString("error_code")).isEqualTo("MAINTAINER_SCRIPT_FAILED");
    JsonObject repair = run("POST", "/api/v1/packages/repair", "{}");
    assertThat(repair.getString("status")).as(repair.encode()).isEqualTo("completed");
    assertThat(fixture.installed()).containsKey("demo-broken");
    run("DELETE", "/api/v1/packages/demo-broken?purge=true", null);
    assertThat(fixture.installed()).doesNotContainKey("demo-broken");
  }

  @Test
  @Tag("JOB-6")
  @DisplayName("a cancelled run leaves no package-manager process of the sandbox behind")
  void cancel() throws Exception {
    fixture.addSlowScriptlet("demo-slow", 300);
    JsonObject accepted = send("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-slow\"}]}");
    assertThat(accepted.getInteger("_status")).as(accepted.encode()).isEqualTo(202);
    String id = accepted.getJsonObject("data").getString("job_id");
    List<ProcessHandle> running = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(job(id).getString("status")).isEqualTo("running");
      assertThat(fixture.slowScriptletStarted("demo-slow")).as("the scriptlet runs").isTrue();
      running.clear();
      running.addAll(fixture.processes());
      assertThat(running).as("the package manager of %s", job(id).encode()).isNotEmpty();
    });
    assertThat(send("DELETE", "/api/v1/jobs/" + id, null).getInteger("_status")).isIn(200, 202);
    await().atMost(Duration.ofSeconds(60)).until(() -> !job(id).getString("status").matches("pending|running"));
    assertThat(job(id).getString("status")).isEqualTo("cancelled");
    // Zombies (an orphan the machine's init has not reaped yet) have neither command line nor root: not listed.
    assertThat(fixture.processes()).as("the cancelled run's processes").doesNotContainAnyElementsOf(running);
    // The agent reads the sandbox again once the job has ended (its package meters: rpm -qa, dnf check-update):
    // those reads end by themselves, a leftover of the run would not.
    await().atMost(Duration.ofSeconds(30)).until(() -> fixture.processes().isEmpty());
    run("DELETE", "/api/v1/packages/demo-slow?purge=true", null);
  }

  @Test
  @Tag("JOB-5")
  @DisplayName("a run that outlives jobs.timeout_minutes ends 'timeout' and leaves no package-manager process behind")
  void timeout() throws Exception {
    fixture.addSlowScriptlet("demo-stuck", 300);
    JsonObject accepted = send("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-stuck\"}]}");
    assertThat(accepted.getInteger("_status")).as(accepted.encode()).isEqualTo(202);
    String id = accepted.getJsonObject("data").getString("job_id");
    List<ProcessHandle> running = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(job(id).getString("status")).isEqualTo("running");
      assertThat(fixture.slowScriptletStarted("demo-stuck")).as("the scriptlet runs").isTrue();
      running.clear();
      running.addAll(fixture.processes());
      assertThat(running).as("the package manager of %s", job(id).encode()).isNotEmpty();
    });
    // jobs.timeout_minutes is 1 in this suite: a minute, then SIGTERM (SIGKILL 10 s later) and the database check.
    await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250))
        .until(() -> !job(id).getString("status").matches("pending|running"));
    JsonObject job = job(id);
    assertThat(job.getString("status")).as(job.encode()).isEqualTo("timeout");
    assertThat(job.getString("error_code")).isEqualTo("TIMEOUT");
    assertThat(fixture.processes()).as("the timed-out run's processes").doesNotContainAnyElementsOf(running);
    // As after a cancel: the agent's own reads after the job end by themselves, a leftover of the run would not.
    await().atMost(Duration.ofSeconds(30)).until(() -> fixture.processes().isEmpty());
    run("DELETE", "/api/v1/packages/demo-stuck?purge=true", null);
    assertThat(fixture.installed()).doesNotContainKey("demo-stuck");
  }

  // --- helpers -------------------------------------------------------------------------------------------

  /** The database files' contents, as text for a readable difference (bytes compared all the same). */
  private List<String> database() throws Exception {
    List<String> contents = new ArrayList<>();
    for (Path file : fixture.databaseFiles()) {
      contents.add(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1));
    }
    return contents;
  }

  private static List<String> names(JsonArray items) {
    return items.stream().map(i -> ((JsonObject) i).getString("name")).sorted().toList();
  }

  private static JsonObject patchOf(JsonArray patches, String name) {
    return patches.stream().map(p -> (JsonObject) p)
        .filter(p -> p.getJsonArray("packages").stream().anyMatch(k -> name.equals(((JsonObject) k).getString("name"))))
        .findFirst().orElseThrow(() -> new AssertionError("no patch for " + name + " in " + patches.encodePrettily()));
  }

  /** Submits a mutation and waits for its job to end; the job as it ended. */
  private JsonObject run(String method, String path, String body) throws Exception {
    JsonObject accepted = send(method, path, body);
    assertThat(accepted.getInteger("_status")).as(accepted.encode()).isEqualTo(202);
    String id = accepted.getJsonObject("data").getString("job_id");
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
        .until(() -> !job(id).getString("status").matches("pending|running"));
    return job(id);
  }

  private JsonObject job(String id) throws Exception {
    return get("/api/v1/jobs/" + id);
  }

  private JsonObject get(String path) throws Exception {
    JsonObject answer = send("GET", path, null);
    assertThat(answer.getInteger("_status")).as(path + ": " + answer.encode()).isEqualTo(200);
    return answer.getJsonObject("data");
  }

  private JsonObject send(String method, String path, String body) throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = body == null ? client.exchange(method, path, null)
          : client.exchange(method, path, body, "Content-Type: application/json");
      return new JsonObject(response.body()).put("_status", response.status());
    }
  }
}
