package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.apt.sandbox.DemoSandbox;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Endpoints 2, 3, 7 and the dry-run plans end to end on real apt/dpkg: an agent pointed at a demo sandbox
 * (a local repository with a normal and a security suite), never at the host's package database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackagesTest {

  @TempDir
  static Path dir;
  AgentUnderTest agent;
  DemoSandbox sandbox;
  final ProcessRunner runner = ProcessRunner.create();

  @BeforeAll
  void start() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    agent = new AgentUnderTest(dir);
    Path feed = dir.resolve("tracker.json");
    Files.writeString(feed, """
        {"demo-ssl-src": {"CVE-2026-0001": {"description": "demo flaw", "releases": {"stable": {
          "status": "resolved", "fixed_version": "1.0+deb1", "urgency": "high"}}}}}
        """);
    sandbox = agent.useDemoSandbox("patches:\n  advisory_feed: " + feed + "\n" + AgentUnderTest.TEST_CLIENT_ADMIN);
    agent.start();
  }

  @AfterAll
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private JsonObject get(String path) throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = client.get(path);
      return new JsonObject(response.body()).put("_status", response.status());
    }
  }

  private JsonObject send(String method, String path, String body) throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = body == null ? client.exchange(method, path, null)
          : client.exchange(method, path, body, "Content-Type: application/json");
      return new JsonObject(response.body()).put("_status", response.status());
    }
  }

  private ProcessResult apt(String... args) {
    List<String> argv = new ArrayList<>(List.of("/usr/bin/apt-get"));
    argv.addAll(List.of(args));
    return runner.run(ProcessSpec.of(argv).withExtraEnv(sandbox.aptEnvironment()));
  }

  /** What apt's own simulation says, as "Inst name version" / "Remv name" lines, for comparison. */
  private TreeSet<String> aptSays(String... args) {
    List<String> argv = new ArrayList<>(List.of("-s"));
    argv.addAll(List.of(args));
    ProcessResult result = apt(argv.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.stderr().text()).isZero();
    TreeSet<String> out = new TreeSet<>();
    for (String line : result.stdout().text().split("\n")) {
      String[] w = line.split(" ");
      if (line.startsWith("Inst ")) {
        int paren = line.indexOf('(');
        out.add("Inst " + w[1] + " " + line.substring(paren + 1).split(" ")[0]);
      } else if (line.startsWith("Remv ") || line.startsWith("Purg ")) {
        out.add("Remv " + w[1]);
      }
    }
    return out;
  }

  private static TreeSet<String> planSays(JsonObject plan) {
    TreeSet<String> out = new TreeSet<>();
    for (String kind : List.of("install", "upgrade", "downgrade", "reinstall")) {
      for (Object a : plan.getJsonArray(kind)) {
        out.add("Inst " + ((JsonObject) a).getString("name") + " " + ((JsonObject) a).getString("to_version"));
      }
    }
    for (Object a : plan.getJsonArray("remove")) {
      out.add("Remv " + ((JsonObject) a).getString("name"));
    }
    return out;
  }

  private Map<String, String> dpkgQuery() {
    ProcessResult result = runner.run(ProcessSpec.of("/usr/bin/dpkg-query", "--admindir=" + sandbox.root().resolve("var/lib/dpkg"),
        "-W", "-f=${db:Status-Abbrev}\\t${Package}\\t${Version}\\n"));
    Map<String, String> installed = new TreeMap<>();
    for (String line : result.stdout().text().split("\n")) {
      String[] f = line.split("\t");
      // Installed whatever the selection: "ii", and "hi" for a held package.
      if (f.length == 3 && f[0].length() >= 2 && f[0].charAt(1) == 'i') {
        installed.put(f[1], f[2]);
      }
    }
    return installed;
  }

  @Test
  @DisplayName("the listing of installed packages matches dpkg-query on the sandbox")
  void listingMatchesDpkgQuery() throws Exception {
    JsonObject data = get("/api/v1/packages?limit=1000").getJsonObject("data");
    Map<String, String> listed = new TreeMap<>();
    for (Object p : data.getJsonArray("packages")) {
      listed.put(((JsonObject) p).getString("name"), ((JsonObject) p).getString("version"));
    }
    assertThat(listed).isEqualTo(dpkgQuery()).isNotEmpty();
    assertThat(data.getInteger("total")).isEqualTo(listed.size());
  }

  @Test
  @DisplayName("an unknown package is 404 PKG_NOT_FOUND; an installed one has its details from the dpkg database")
  void detailsAndNotFound() throws Exception {
    JsonObject missing = get("/api/v1/packages/no-such-package");
    assertThat(missing.getInteger("_status")).isEqualTo(404);
    assertThat(missing.getJsonObject("error").getString("code")).isEqualTo("PKG_NOT_FOUND");
    JsonObject ssl = get("/api/v1/packages/demo-ssl?files=true").getJsonObject("data");
    assertThat(ssl.getString("version")).isEqualTo("1.0");
    assertThat(ssl.getString("source_package")).isEqualTo("demo-ssl-src");
    assertThat(ssl.getBoolean("upgradable")).isTrue();
    assertThat(ssl.getJsonArray("files").encode()).contains("/usr/share/doc/demo-ssl/README");
  }

  @Test
  @DisplayName("a security-suite update is security with its reason and the feed's CVE and severity; a normal one is not")
  void patchesClassified() throws Exception {
    JsonArray patches = get("/api/v1/patches").getJsonObject("data").getJsonArray("patches");
    JsonObject ssl = null;
    JsonObject tool = null;
    for (Object p : patches) {
      JsonObject patch = (JsonObject) p;
      String name = patch.getJsonArray("packages").getJsonObject(0).getString("name");
      if (name.equals("demo-ssl")) {
        ssl = patch;
      } else if (name.equals("demo-tool")) {
        tool = patch;
      }
    }
    assertThat(ssl).isNotNull();
    assertThat(tool).isNotNull();
    assertThat(ssl.getBoolean("security")).isTrue();
    assertThat(ssl.getString("source")).isEqualTo("stable-security");
    assertThat(ssl.getJsonObject("classification").getString("reason")).contains("stable-security");
    assertThat(ssl.getJsonArray("cve_ids").getList()).containsExactly("CVE-2026-0001");
    assertThat(ssl.getString("severity")).isEqualTo("high");
    assertThat(ssl.getJsonObject("classification").getString("severity_source")).isEqualTo("debian-security-tracker");
    assertThat(tool.getBoolean("security")).isFalse();
    assertThat(tool.getString("severity")).isEqualTo("unknown");
    JsonObject securityOnly = get("/api/v1/patches?security=true").getJsonObject("data");
    assertThat(securityOnly.getInteger("total")).isEqualTo(1);
  }

  @Test
  @DisplayName("dry runs answer exactly apt's simulation (dependency pulled in, conflict removal) and change nothing")
  void dryRunsMatchApt() throws Exception {
    byte[] statusBefore = Files.readAllBytes(sandbox.root().resolve("var/lib/dpkg/status"));

    JsonObject install = send("POST", "/api/v1/packages?dry_run=true", "{\"packages\":[{\"name\":\"demo-app\"}]}");
    assertThat(install.getInteger("_status")).isEqualTo(200);
    JsonObject plan = install.getJsonObject("data");
    assertThat(planSays(plan)).isEqualTo(aptSays("install", "--", "demo-app")).contains("Inst demo-lib 2.0");
    assertThat(plan.getString("plan_id")).matches("[0-9a-f]{64}");

    JsonObject conflict = send("POST", "/api/v1/packages?dry_run=true", "{\"packages\":[{\"name\":\"demo-modern\"}]}")
        .getJsonObject("data");
    assertThat(planSays(conflict)).isEqualTo(aptSays("install", "--", "demo-modern")).contains("Remv demo-legacy");

    JsonObject remove = send("DELETE", "/api/v1/packages/demo-base?dry_run=true", null).getJsonObject("data");
    assertThat(planSays(remove)).isEqualTo(aptSays("remove", "--", "demo-base"));

    JsonObject update = send("PUT", "/api/v1/packages/demo-tool?dry_run=true", "{}").getJsonObject("data");
    assertThat(planSays(update)).containsExactly("Inst demo-tool 1.1");

    JsonObject patchAll = send("POST", "/api/v1/patches/apply?dry_run=true", "{}").getJsonObject("data");
    assertThat(planSays(patchAll)).isEqualTo(aptSays("install", "--only-upgrade", "--", "demo-ssl", "demo-tool"));
    JsonObject securityOnly = send("POST", "/api/v1/patches/apply?dry_run=true", "{\"security_only\":true}")
        .getJsonObject("data");
    assertThat(planSays(securityOnly)).containsExactly("Inst demo-ssl 1.0+deb1");

    assertThat(Files.readAllBytes(sandbox.root().resolve("var/lib/dpkg/status"))).isEqualTo(statusBefore);
  }

  @Test
  @DisplayName("a stale or foreign plan_id is refused 409 PLAN_STALE")
  void stalePlan() throws Exception {
    JsonObject stale = send("POST", "/api/v1/packages?dry_run=true",
        "{\"packages\":[{\"name\":\"demo-app\"}],\"plan_id\":\"" + "0".repeat(64) + "\"}");
    assertThat(stale.getInteger("_status")).isEqualTo(409);
    assertThat(stale.getJsonObject("error").getString("code")).isEqualTo("PLAN_STALE");
  }

  @Test
  @DisplayName("a hostile name is 400 INVALID_REQUEST, also for a real change, which then queues no job")
  void hostileAndNotDryRun() throws Exception {
    for (String path : List.of("/api/v1/packages/coreutils-", "/api/v1/packages/-oAPT", "/api/v1/packages/a=1",
        "/api/v1/packages/demo%2Ftool", "/api/v1/packages/demo-tool+")) {
      JsonObject answer = get(path);
      assertThat(answer.getInteger("_status")).as(path).isEqualTo(400);
      assertThat(answer.getJsonObject("error").getString("code")).isEqualTo("INVALID_REQUEST");
    }
    for (String name : List.of("coreutils-", "demo-tool+", "-oAPT::Update::Pre-Invoke::=touch")) {
      JsonObject real = send("POST", "/api/v1/packages", new JsonObject().put("packages",
          new JsonArray().add(new JsonObject().put("name", name))).encode());
      assertThat(real.getInteger("_status")).as(name).isEqualTo(400);
    }
    assertThat(get("/api/v1/jobs").getJsonObject("data").getInteger("total")).isZero();
  }

  @Test
  @DisplayName("a change made to the sandbox behind the agent's back is visible on the next request, without restart")
  void changeVisible() throws Exception {
    assertThat(get("/api/v1/packages/demo-lib").getJsonObject("data").getString("status")).isEqualTo("available");
    ProcessResult install = apt("-y", "-q", "install", "--", "demo-app");
    assertThat(install.exitCode()).as(install.stderr().text()).isZero();
    JsonObject lib = get("/api/v1/packages/demo-lib").getJsonObject("data");
    assertThat(lib.getString("status")).isEqualTo("installed");
    assertThat(lib.getJsonArray("reverse_dependencies").encode()).contains("demo-app");
    JsonObject app = get("/api/v1/packages/demo-app").getJsonObject("data");
    assertThat(app.getJsonArray("dependencies").encode()).contains("demo-lib");
    assertThat(get("/api/v1/packages?name=demo-*&limit=1000").getJsonObject("data").getInteger("total"))
        .isEqualTo(dpkgQuery().keySet().stream().filter(n -> n.startsWith("demo-")).count());
    // Back as it was, so that no other test depends on running before or after this one.
    ProcessResult purge = apt("-y", "-q", "purge", "--", "demo-app", "demo-lib");
    assertThat(purge.exitCode()).as(purge.stderr().text()).isZero();
    assertThat(get("/api/v1/packages/demo-lib").getJsonObject("data").getString("status")).isEqualTo("available");
  }

  @Test
  @DisplayName("a package put on hold with apt-mark is listed in /holds and is no longer offered as a patch")
  void holds() throws Exception {
    ProcessResult hold = aptMark("hold");
    assertThat(hold.exitCode()).as(hold.stderr().text()).isZero();
    try {
      heldToolIsNoPatch();
    } finally {
      // Released again, so that no other test depends on running before or after this one.
      ProcessResult unhold = aptMark("unhold");
      assertThat(unhold.exitCode()).as(unhold.stderr().text()).isZero();
    }
  }

  private ProcessResult aptMark(String action) {
    return runner.run(ProcessSpec.of("/usr/bin/apt-mark", action, "--", "demo-tool").withExtraEnv(sandbox.aptEnvironment()));
  }

  private void heldToolIsNoPatch() throws Exception {
    JsonObject holds = get("/api/v1/holds").getJsonObject("data");
    assertThat(holds.getInteger("total")).isEqualTo(1);
    assertThat(holds.getJsonArray("holds").getJsonObject(0).getString("name")).isEqualTo("demo-tool");
    JsonArray patches = get("/api/v1/patches").getJsonObject("data").getJsonArray("patches");
    assertThat(patches.stream().map(p -> ((JsonObject) p).getString("id")).toList())
        .contains("demo-ssl/1.0+deb1").noneMatch(id -> id.startsWith("demo-tool/"));
    JsonObject plan = send("POST", "/api/v1/patches/apply?dry_run=true", "{}").getJsonObject("data");
    assertThat(plan.getJsonArray("held").getList()).containsExactly("demo-tool");
    assertThat(planSays(plan)).containsExactly("Inst demo-ssl 1.0+deb1");
  }
}
