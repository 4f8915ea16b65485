package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.packages.backend.apt.sandbox.SandboxRoot;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
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
 * Real data (issue 20): this machine's own apt lists, dpkg status file and apt sources, copied into a sandbox
 * root, and the agent's answers checked against what dpkg-query and apt-get say of that copy. The host's own
 * database is only read, never used by apt or the agent. Skipped where the machine has no apt lists (run
 * {@code apt-get update} first; {@code .ci/run} does).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("A copy of this host's real apt lists and dpkg database is listed and planned exactly as apt does")
class HostListsCopyTest {

  private static final Path HOST_LISTS = Path.of("/var/lib/apt/lists");
  private static final Path HOST_STATUS = Path.of("/var/lib/dpkg/status");
  private static final Path HOST_APT = Path.of("/etc/apt");

  @TempDir
  static Path dir;
  private final ProcessRunner runner = ProcessRunner.create();
  private SandboxRoot sandbox;
  private AgentUnderTest agent;

  @BeforeAll
  void start() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    List<Path> indices = hostFiles(HOST_LISTS, "*_Packages*");
    assumeTrue(!indices.isEmpty() && Files.isRegularFile(HOST_STATUS),
        "this machine has no apt lists in " + HOST_LISTS + " (run apt-get update) or no dpkg status file");
    sandbox = SandboxRoot.at(dir.resolve("root"), runner).create();
    Path lists = sandbox.root().resolve("var/lib/apt/lists");
    for (Path file : hostFiles(HOST_LISTS, "*{_Packages*,Release}")) {
      Files.copy(file, lists.resolve(file.getFileName()));
    }
    Files.copy(HOST_STATUS, sandbox.statusFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    // The sources and pins apt read these lists with (without them apt would ignore the copied indices).
    copyIfPresent(HOST_APT.resolve("sources.list"), sandbox.sourcesList());
    for (String dirName : List.of("sources.list.d", "preferences.d")) {
      for (Path file : hostFiles(HOST_APT.resolve(dirName), "*")) {
        Files.copy(file, sandbox.root().resolve("etc/apt").resolve(dirName).resolve(file.getFileName()));
      }
    }
    copyIfPresent(HOST_APT.resolve("preferences"), sandbox.root().resolve("etc/apt/preferences"));
    agent = new AgentUnderTest(dir);
    agent.useSandbox(sandbox, "");
    agent.start();
  }

  @AfterAll
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  @DisplayName("the installed listing is dpkg-query's list of installed (ii/hi) packages of the copy")
  void installedListing() throws Exception {
    List<String> expected = new ArrayList<>();
    String query = run(List.of("/usr/bin/dpkg-query", "--admindir=" + sandbox.root().resolve("var/lib/dpkg"), "-W",
        "-f", "${db:Status-Abbrev}|${Package}|${Architecture}|${Version}\n"));
    for (String line : query.lines().toList()) {
      String[] fields = line.split("\\|", -1);
      if (fields[0].startsWith("ii") || fields[0].startsWith("hi")) {
        expected.add(fields[1] + " " + fields[2] + " " + fields[3]);
      }
    }
    List<String> listed = new ArrayList<>();
    int total = Integer.MAX_VALUE;
    for (int offset = 0; offset < total; offset += 1000) {
      JsonObject data = get("/api/v1/packages?limit=1000&offset=" + offset).getJsonObject("data");
      total = data.getInteger("total");
      data.getJsonArray("packages").forEach(p -> {
        JsonObject row = (JsonObject) p;
        listed.add(row.getString("name") + " " + row.getString("architecture") + " " + row.getString("version"));
      });
    }
    assertThat(expected).isNotEmpty();
    assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  @DisplayName("patches are apt-get -s dist-upgrade's upgrades of the copy, security exactly where a candidate's archive is one")
  void patches() throws Exception {
    Map<String, String> expected = new TreeMap<>();
    TreeSet<String> expectedSecurity = new TreeSet<>();
    List<String> argv = List.of("/usr/bin/apt-get", "-s", "-q", "-o", "APT::Get::Always-Include-Phased-Updates=false",
        "dist-upgrade");
    ProcessResult simulation = runner.run(ProcessSpec.of(argv).withExtraEnv(sandbox.aptEnvironment())
        .withOutputLimits(32 << 20, 1 << 16));
    assertThat(simulation.exitCode()).as(simulation.stderr().text()).isZero();
    for (String line : simulation.stdout().text().lines().filter(l -> l.startsWith("Inst ")).toList()) {
      String name = line.split(" ")[1];
      String candidate = line.substring(line.indexOf('(') + 1);
      expected.put(name, candidate.split(" ")[0]);
      // "(3.7.9-2+deb12u7 Debian:12.15/oldstable, Debian-Security:12/oldstable-security [amd64])": every archive
      // the candidate is available from, as Label:Version/Suite. PKG-3: any security archive makes it a security
      // update (a point release that folded in a security fix still carries the fix).
      String archives = candidate.substring(candidate.indexOf(' ') + 1, candidate.lastIndexOf(" ["));
      for (String archive : archives.split(", ")) {
        String label = archive.substring(0, Math.max(archive.indexOf(':'), 0));
        String suite = archive.substring(archive.lastIndexOf('/') + 1);
        if (suite.endsWith("-security") || label.endsWith("-Security")) {
          expectedSecurity.add(name);
        }
      }
    }

    Map<String, String> patched = new TreeMap<>();
    TreeSet<String> security = new TreeSet<>();
    JsonObject data = get("/api/v1/patches?limit=1000").getJsonObject("data");
    for (Object item : data.getJsonArray("patches")) {
      JsonObject patch = (JsonObject) item;
      JsonObject pkg = patch.getJsonArray("packages").getJsonObject(0);
      patched.put(pkg.getString("name"), pkg.getString("available_version"));
      if (patch.getBoolean("security")) {
        security.add(pkg.getString("name"));
      }
    }
    assertThat(data.getInteger("total")).isEqualTo(expected.size());
    assertThat(patched).isEqualTo(expected);
    assertThat(security).isEqualTo(expectedSecurity);
  }

  private JsonObject get(String path) throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = client.get(path);
      assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(200);
      return new JsonObject(response.body());
    }
  }

  private String run(List<String> argv) {
    ProcessResult result = runner.run(ProcessSpec.of(argv).withOutputLimits(32 << 20, 1 << 16));
    assertThat(result.exitCode()).as(result.stderr().text()).isZero();
    return result.stdout().text();
  }

  private static List<Path> hostFiles(Path directory, String glob) throws IOException {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return files;
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, glob)) {
      for (Path file : stream) {
        if (Files.isRegularFile(file)) {
          files.add(file);
        }
      }
    }
    return files;
  }

  private static void copyIfPresent(Path from, Path to) throws IOException {
    if (Files.isRegularFile(from)) {
      Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
