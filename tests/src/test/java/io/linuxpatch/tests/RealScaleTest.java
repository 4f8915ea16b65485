package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.apt.sandbox.SandboxRoot;
import io.linuxpatch.packages.backend.apt.sandbox.ScaleSandbox;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent with the README's flags ({@code conf/jvm.options}, {@code -Xmx128m}) on a host of real size (issue 20,
 * SPEC OPS-6): 100,000 available packages in 150 MB of lists, 1,500 installed, 150 updates of which 90 come
 * from the security suite. An earlier build died at start on 63,000 packages with {@code OutOfMemoryError}; this
 * one must start, list and plan exactly what apt and dpkg say of the same sandbox.
 */
@Tag("OPS-6")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("A real-scale host (100,000 packages, 150 MB of lists) is served with the production JVM flags")
class RealScaleTest {

  @TempDir
  static Path dir;
  private final ProcessRunner runner = ProcessRunner.create();
  private SandboxRoot sandbox;
  private ChildAgent agent;

  @BeforeAll
  void start() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    sandbox = ScaleSandbox.create(dir.resolve("scale"), ScaleSandbox.Size.UBUNTU_SERVER, 2404, runner);
    AgentUnderTest setup = new AgentUnderTest(dir);
    // Dry runs need operate (SEC-6: a client with no grant may only read).
    setup.useSandbox(sandbox, AgentUnderTest.TEST_CLIENT_ADMIN);
    agent = ChildAgent.start(setup, ChildAgent.productionFlags());
  }

  @AfterAll
  void stop() throws Exception {
    if (agent != null) {
      long rss = ListeningSockets.rssKib(agent.pid());
      System.out.printf("real-scale agent RSS after the test's requests: %d MiB%n", rss / 1024);
      agent.close();
    }
  }

  @Test
  @DisplayName("the installed listing is dpkg-query's, and every one of the 100,000 names is listed")
  void listings() throws Exception {
    JsonObject installed = agent.send("GET", "/api/v1/packages?limit=1000&offset=500", null);
    assertThat(installed.getInteger("_status")).isEqualTo(200);
    assertThat(installed.getJsonObject("data").getInteger("total")).isEqualTo(1_500);

    List<String> fromDpkg = run("/usr/bin/dpkg-query", "--admindir=" + sandbox.root().resolve("var/lib/dpkg"), "-W",
        "-f", "${Package} ${Version}\n").lines().sorted().toList();
    List<String> fromAgent = new ArrayList<>();
    for (int offset = 0; offset < 1_500; offset += 1_000) {
      JsonArray page = agent.send("GET", "/api/v1/packages?limit=1000&offset=" + offset, null)
          .getJsonObject("data").getJsonArray("packages");
      page.forEach(p -> fromAgent.add(((JsonObject) p).getString("name") + " " + ((JsonObject) p).getString("version")));
    }
    assertThat(fromAgent).hasSize(1_500).containsExactlyElementsOf(fromDpkg);

    JsonObject all = agent.send("GET", "/api/v1/packages?status=all&limit=1000&sort=version&order=desc", null);
    assertThat(all.getJsonObject("data").getInteger("total")).isEqualTo(100_000);
    assertThat(all.getJsonObject("data").getJsonArray("packages")).hasSize(1_000);
    assertThat(agent.isAlive()).as("the agent survived listing everything with -Xmx128m").isTrue();
  }

  @Test
  @DisplayName("patches and the upgradable listing are apt-get -s dist-upgrade's 150, the 90 from noble-security marked security")
  void patches() throws Exception {
    Map<String, String> expected = new TreeMap<>();
    TreeSet<String> expectedSecurity = new TreeSet<>();
    for (String line : apt("-s", "-q", "dist-upgrade").lines().filter(l -> l.startsWith("Inst ")).toList()) {
      String[] words = line.split(" ");
      String name = words[1];
      String to = line.substring(line.indexOf('(') + 1).split(" ")[0];
      expected.put(name, to);
      if (line.substring(line.indexOf('(')).split(" ")[1].endsWith("/noble-security")) {
        expectedSecurity.add(name);
      }
    }
    assertThat(expected).hasSize(150);
    assertThat(expectedSecurity).hasSize(90);

    JsonObject answer = agent.send("GET", "/api/v1/patches?limit=1000", null);
    Map<String, String> patched = new TreeMap<>();
    TreeSet<String> security = new TreeSet<>();
    for (Object item : answer.getJsonObject("data").getJsonArray("patches")) {
      JsonObject patch = (JsonObject) item;
      JsonObject pkg = patch.getJsonArray("packages").getJsonObject(0);
      patched.put(pkg.getString("name"), pkg.getString("available_version"));
      if (patch.getBoolean("security")) {
        security.add(pkg.getString("name"));
      }
    }
    assertThat(patched).isEqualTo(expected);
    assertThat(security).isEqualTo(expectedSecurity);

    JsonObject upgradable = agent.send("GET", "/api/v1/packages?upgradable=true&limit=1000", null);
    assertThat(upgradable.getJsonObject("data").getJsonArray("packages").stream()
        .map(p -> ((JsonObject) p).getString("name")).toList()).containsExactlyElementsOf(expected.keySet());
  }

  @Test
  @DisplayName("a dry-run install of a package with dependencies is apt's own simulation, and changes nothing")
  void dryRun() throws Exception {
    byte[] statusBefore = Files.readAllBytes(sandbox.statusFile());
    String name = lastAvailableName();
    List<String> expected = apt("-s", "-q", "install", "--", name).lines().filter(l -> l.startsWith("Inst "))
        .map(l -> l.split(" ")[1]).sorted().toList();

    JsonObject plan = agent.send("POST", "/api/v1/packages?dry_run=true",
        "{\"packages\": [{\"name\": \"" + name + "\"}]}");

    assertThat(plan.getInteger("_status")).as(plan.encode()).isEqualTo(200);
    assertThat(plan.getJsonObject("data").getJsonArray("install").stream()
        .map(a -> ((JsonObject) a).getString("name")).sorted().toList()).isEqualTo(expected).contains(name);
    assertThat(Files.readAllBytes(sandbox.statusFile())).isEqualTo(statusBefore);
  }

  /** The last package of the universe index: never installed, and (by construction) with dependencies to pull. */
  private String lastAvailableName() throws Exception {
    JsonObject page = agent.send("GET", "/api/v1/packages?status=available&limit=1&sort=name&order=desc", null);
    return page.getJsonObject("data").getJsonArray("packages").getJsonObject(0).getString("name");
  }

  private String apt(String... args) {
    List<String> argv = new ArrayList<>(List.of("/usr/bin/apt-get"));
    argv.addAll(List.of(args));
    ProcessResult result = runner.run(ProcessSpec.of(argv).withExtraEnv(sandbox.aptEnvironment()));
    assertThat(result.exitCode()).as(result.stderr().text()).isZero();
    return result.stdout().text();
  }

  private String run(String... argv) {
    ProcessResult result = runner.run(ProcessSpec.of(List.of(argv)));
    assertThat(result.exitCode()).as(result.stderr().text()).isZero();
    return result.stdout().text();
  }
}
