package io.linuxpatch.packages.backend.pacman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.packages.backend.pacman.advisory.ArchSecurityMatch;
import io.linuxpatch.packages.backend.pacman.sandbox.PackageFile;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanDemoPackages;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanPackageSpec;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pacman backend's reads on a real demo sandbox, each compared with what pacman itself says: the listing with
 * {@code pacman -Q} and {@code -Sl}, details with {@code -Qi}/{@code -Ql}, patches with {@code -Qu}, holds with
 * {@code -Qu}'s {@code [ignored]} under a pacman.conf that includes the agent's hold file, and the kernels.
 */
@ExtendWith(HostPacmanStateGuard.class)
class PacmanReadsSandboxTest {

  @TempDir
  Path dir;
  PacmanAgent agent;

  @AfterEach
  void close() throws Exception {
    if (agent != null) {
      agent.close();
    }
  }

  private PacmanAgent demo() throws Exception {
    PacmanAssumptions.assumeSandboxPossible();
    agent = PacmanAgent.demo(dir);
    return agent;
  }

  @Test
  @DisplayName("installed = pacman -Q; all = pacman -Q plus pacman -Sl, available rows with the repository's version")
  void listing() throws Exception {
    demo();
    Map<String, String> listed = versions(list("installed"), "version");
    assertThat(listed).isEqualTo(lines(pacman("-Q"), 0, 1)).containsKeys("demo-base", "sandbox-sh");

    JsonArray all = list("all");
    Map<String, String> available = versions(all, "available_version");
    assertThat(available).isEqualTo(lines(pacman("-Sl"), 1, 2));
    JsonObject app = row(all, "demo-app");
    assertThat(app.getString("status")).isEqualTo("available");
    assertThat(app.getString("version")).isNull();
    assertThat(app.getString("source")).isEqualTo("demo");
    JsonObject tool = row(all, "demo-tool");
    assertThat(tool.getBoolean("upgradable")).isTrue();
    assertThat(tool.getString("available_version")).isEqualTo("1.1-1");
    assertThat(versions(agent.request(Addresses.PACKAGES_LIST, new JsonObject().put("upgradable", true)
        .put("limit", 1000)).getJsonArray("packages"), "version")).containsOnlyKeys("demo-tool", "demo-ssl");
  }

  @Test
  @DisplayName("details: dependencies with constraints, reverse dependencies, install reason and the files pacman -Ql lists")
  void details() throws Exception {
    demo();
    JsonObject app = get("demo-app", false);
    assertThat(app.getString("status")).isEqualTo("available");
    assertThat(app.getJsonArray("dependencies")).containsExactly(
        new JsonObject().put("name", "demo-lib").put("constraint", ">= 2.0"));
    assertThat(app.getString("installed_at")).isNull();

    agent.sandbox.install("demo-app");
    JsonObject lib = get("demo-lib", true);
    assertThat(lib.getString("version")).isEqualTo("2.0-1");
    assertThat(lib.getJsonArray("reverse_dependencies")).containsExactly("demo-app");
    assertThat(lib.getString("install_reason")).isEqualTo("dependency");
    assertThat(lib.getString("installed_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    // pacman -Ql prints paths under RootDir; the agent gives them as they are on the (sandbox) system
    String root = agent.sandbox.root().toString();
    List<String> ql = pacman("-Ql", "--", "demo-lib").lines().map(l -> l.substring(l.indexOf(' ') + 1))
        .map(path -> path.startsWith(root) ? path.substring(root.length()) : path).toList();
    assertThat(lib.getJsonArray("files").getList()).containsExactlyElementsOf(ql);
    assertThat(get("demo-tool", false).getString("homepage")).isEqualTo("https://example.invalid/demo-tool");
  }

  @Test
  @DisplayName("patches are pacman -Qu's updates; demo-ssl's names ASA-202601-1/AVG-1, its CVE and High, demo-tool's none")
  void patchesWithFeed() throws Exception {
    demo();
    JsonArray patches = patches();
    Map<String, String> updates = patches.stream().map(p -> ((JsonObject) p).getJsonArray("packages").getJsonObject(0))
        .collect(Collectors.toMap(p -> p.getString("name"), p -> p.getString("available_version"), (a, b) -> a,
            TreeMap::new));
    assertThat(updates).isEqualTo(lines(pacman("-Qu"), 0, 3));
    JsonObject ssl = patch(patches, "demo-ssl");
    assertThat(ssl.getString("id")).isEqualTo(PacmanDemoPackages.DEMO_ADVISORY);
    assertThat(ssl.getBoolean("security")).isTrue();
    assertThat(ssl.getString("severity")).isEqualTo("high");
    assertThat(ssl.getJsonArray("cve_ids")).containsExactly(PacmanDemoPackages.DEMO_CVE);
    assertThat(ssl.getJsonObject("classification").getString("reason"))
        .contains("AVG-1", "ASA-202601-1", "CVE-2026-0001", "Arch Linux security tracker");
    assertThat(ssl.getJsonObject("classification").getString("severity_source")).isEqualTo("arch-security-tracker");
    assertThat(ssl.getString("source")).isEqualTo("demo");
    JsonObject tool = patch(patches, "demo-tool");
    assertThat(tool.getString("id")).isEqualTo("demo-tool/1.1-1");
    assertThat(tool.getBoolean("security")).isFalse();
    assertThat(tool.getString("severity")).isEqualTo("unknown");
  }

  @Test
  @DisplayName("without a feed: unknown, not security, a reason saying no advisory data is configured; a reload adds the feed")
  void patchesWithoutFeedThenReload() throws Exception {
    PacmanAssumptions.assumeSandboxPossible();
    agent = PacmanAgent.demoWithoutFeed(dir);
    for (Object p : patches()) {
      JsonObject patch = (JsonObject) p;
      assertThat(patch.getBoolean("security")).isFalse();
      assertThat(patch.getString("severity")).isEqualTo("unknown");
      assertThat(patch.getJsonArray("cve_ids")).isEmpty();
      assertThat(patch.getJsonObject("classification").getString("reason")).isEqualTo(ArchSecurityMatch.NO_FEED_REASON);
    }
    agent.vertx.eventBus().publish(Addresses.CONFIG_CHANGED, AgentConfig.parse(new JsonObject()
        .put("patches", new JsonObject().put("advisory_feed", agent.sandbox.trackerFeed().toString()))).config());
    await().atMost(Duration.ofSeconds(30)).until(() -> patch(patches(), "demo-ssl").getBoolean("security"));
    assertThat(patch(patches(), "demo-ssl").getString("severity")).isEqualTo("high");
  }

  @Test
  @DisplayName("the feed file is read again when it changes: a new severity shows without a restart")
  void feedFileChanges() throws Exception {
    demo();
    assertThat(patch(patches(), "demo-ssl").getString("severity")).isEqualTo("high");
    Path feed = agent.sandbox.trackerFeed();
    String critical = PacmanDemoPackages.trackerFeed().replace("\"High\"", "\"Critical\"");
    Path next = feed.resolveSibling("next.json");
    Files.writeString(next, critical);
    Files.move(next, feed, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    await().atMost(Duration.ofSeconds(30)).until(() -> "critical".equals(patch(patches(), "demo-ssl").getString("severity")));
  }

  @Test
  @DisplayName("a hold is written in IgnorePkg syntax: pacman -Qu under a pacman.conf that includes it says [ignored], as the agent does")
  void holdFileIsPacmansSyntax() throws Exception {
    demo();
    JsonObject held = agent.request(Addresses.PACKAGES_HOLD, new JsonObject().put("name", "demo-tool").put("hold", true));
    assertThat(held).isEqualTo(new JsonObject().put("name", "demo-tool").put("held", true).put("changed", true));
    assertThat(agent.request(Addresses.PACKAGES_HOLD, new JsonObject().put("name", "demo-tool").put("hold", true))
        .getBoolean("changed")).isFalse();
    assertThat(agent.request(Addresses.PACKAGES_HOLDS, new JsonObject()).getJsonArray("holds").getJsonObject(0)
        .getString("name")).isEqualTo("demo-tool");
    assertThat(patches().stream().map(p -> ((JsonObject) p).getJsonArray("packages").getJsonObject(0).getString("name")))
        .containsExactly("demo-ssl");

    Path holdFile = agent.sandbox.root().resolve("etc/pacman.d/linux-patch-api-holds.conf");
    Path including = dir.resolve("including.conf");
    Files.writeString(including, Files.readString(agent.sandbox.configFile())
        .replace("CheckSpace\n", "CheckSpace\nInclude = " + holdFile + "\n"));
    assertThat(run("/usr/bin/pacman-conf", "--config", including.toString(), "IgnorePkg").strip()).isEqualTo("demo-tool");
    assertThat(run("/usr/bin/pacman", "--config", including.toString(), "-Qu"))
        .contains("demo-tool 1.0-1 -> 1.1-1 [ignored]").contains("demo-ssl 1.0-1 -> 1.1-1\n");

    assertThat(agent.request(Addresses.PACKAGES_HOLD, new JsonObject().put("name", "demo-tool").put("hold", false)))
        .isEqualTo(new JsonObject().put("name", "demo-tool").put("held", false).put("changed", true));
    assertThat(agent.request(Addresses.PACKAGES_HOLDS, new JsonObject()).getJsonArray("holds")).isEmpty();
    assertThat(patches()).hasSize(2);
  }

  @Test
  @DisplayName("pacman.conf's IgnorePkg (a glob) holds too: listed, honoured, -Qu agrees, and a release says who holds it")
  void ignorePkgOfPacmanConf() throws Exception {
    demo();
    Files.writeString(agent.sandbox.configFile(), Files.readString(agent.sandbox.configFile())
        .replace("CheckSpace\n", "CheckSpace\nIgnorePkg = demo-ss*\n"));
    JsonObject hold = agent.request(Addresses.PACKAGES_HOLDS, new JsonObject()).getJsonArray("holds").getJsonObject(0);
    assertThat(hold.getString("name")).isEqualTo("demo-ssl");
    assertThat(hold.getString("mechanism")).contains("pacman.conf");
    assertThat(pacman("-Qu")).contains("demo-ssl 1.0-1 -> 1.1-1 [ignored]");
    assertThat(patches().stream().map(p -> ((JsonObject) p).getJsonArray("packages").getJsonObject(0).getString("name")))
        .containsExactly("demo-tool");
    JsonObject release = agent.request(Addresses.PACKAGES_HOLD, new JsonObject().put("name", "demo-ssl").put("hold", false));
    assertThat(release.getBoolean("held")).isTrue();
    assertThat(release.getBoolean("changed")).isFalse();
    assertThat(release.getString("held_by")).contains("pacman.conf");
    JsonObject plan = agent.request(Addresses.PACKAGES_PLAN, new JsonObject().put("operation", "update")
        .put("packages", new JsonArray().add(new JsonObject().put("name", "demo-ssl"))));
    assertThat(plan.getJsonArray("upgrade")).isEmpty();
    assertThat(plan.getJsonArray("kept_back")).containsExactly("demo-ssl");
    assertThat(plan.getJsonArray("held")).containsExactly("demo-ssl");
  }

  @Test
  @DisplayName("kernels: the releases under usr/lib/modules that installed packages own, newest by package version")
  void kernels() throws Exception {
    demo();
    assertThat(agent.request(Addresses.PACKAGES_KERNELS, new JsonObject()))
        .isEqualTo(new JsonObject().put("installed_kernels", new JsonArray()).putNull("newest"));
    agent.sandbox.publish(List.of(kernel("linux", "6.6.8.arch1-1", "6.6.8-arch1-1"),
        kernel("linux-lts", "6.1.70-1", "6.1.70-1-lts")));
    JsonObject plan = agent.request(Addresses.PACKAGES_PLAN, new JsonObject().put("operation", "install")
        .put("packages", new JsonArray().add(new JsonObject().put("name", "linux"))));
    assertThat(plan.getBoolean("requires_reboot")).isTrue();
    agent.sandbox.install("linux", "linux-lts");
    Files.createDirectories(agent.sandbox.root().resolve("usr/lib/modules/5.0.0-old"));
    Files.writeString(agent.sandbox.root().resolve("usr/lib/modules/5.0.0-old/pkgbase"), "linux-gone\n");
    Files.writeString(agent.sandbox.root().resolve("usr/lib/modules/5.0.0-old/vmlinuz"), "old");
    assertThat(agent.request(Addresses.PACKAGES_KERNELS, new JsonObject())).isEqualTo(new JsonObject()
        .put("installed_kernels", new JsonArray().add("6.1.70-1-lts").add("6.6.8-arch1-1")).put("newest", "6.6.8-arch1-1"));
  }

  private static PacmanPackageSpec kernel(String name, String version, String release) {
    return PacmanPackageSpec.of(name, version, "a kernel package as Arch lays it out")
        .withFile(PackageFile.text("usr/lib/modules/" + release + "/pkgbase", name + "\n"))
        .withFile(PackageFile.bytes("usr/lib/modules/" + release + "/vmlinuz", new byte[] {1, 2, 3}, 0644));
  }

  // --- helpers -------------------------------------------------------------------------------------------

  private JsonArray list(String status) throws Exception {
    return agent.request(Addresses.PACKAGES_LIST, new JsonObject().put("status", status).put("limit", 1000))
        .getJsonArray("packages");
  }

  private JsonObject get(String name, boolean files) throws Exception {
    return agent.request(Addresses.PACKAGES_GET, new JsonObject().put("name", name).put("files", files));
  }

  private JsonArray patches() throws Exception {
    return agent.request(Addresses.PACKAGES_PATCHES, new JsonObject().put("limit", 1000)).getJsonArray("patches");
  }

  private static JsonObject patch(JsonArray patches, String name) {
    return patches.stream().map(p -> (JsonObject) p)
        .filter(p -> p.getJsonArray("packages").getJsonObject(0).getString("name").equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no patch for " + name + " in " + patches.encode()));
  }

  private static JsonObject row(JsonArray rows, String name) {
    return rows.stream().map(r -> (JsonObject) r).filter(r -> r.getString("name").equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + name));
  }

  private static Map<String, String> versions(JsonArray rows, String field) {
    Map<String, String> map = new TreeMap<>();
    rows.forEach(r -> map.put(((JsonObject) r).getString("name"), ((JsonObject) r).getString(field)));
    return map;
  }

  /** Column {@code key} → column {@code value} of each line of pacman's output. */
  private static Map<String, String> lines(String output, int key, int value) {
    Map<String, String> map = new TreeMap<>();
    for (String line : output.lines().toList()) {
      String[] fields = line.split(" ");
      map.put(fields[key], fields[value]);
    }
    return map;
  }

  private String pacman(String... args) {
    ProcessResult result = agent.sandbox.pacman(args);
    assertThat(result.exitCode()).as(result.stderr().text()).isZero();
    return result.stdout().text();
  }

  private static String run(String... argv) {
    ProcessResult result = PacmanAgent.RUNNER.run(ProcessSpec.of(argv));
    assertThat(result.exitCode()).as(result.stderr().text()).isZero();
    return result.stdout().text();
  }
}
