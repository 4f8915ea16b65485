package io.linuxpatch.packages.backend.pacman.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.pacman.HostPacmanStateGuard;
import io.linuxpatch.packages.backend.pacman.PacmanAssumptions;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanPackageSpec;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanSandbox;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The in-memory databases against real pacman on the demo sandbox, and re-read exactly when pacman changed them. */
@ExtendWith(HostPacmanStateGuard.class)
class PacmanDatabasesSandboxTest {

  @TempDir
  Path dir;
  PacmanSandbox sandbox;
  PacmanDatabases databases;

  @BeforeEach
  void createSandbox() {
    PacmanAssumptions.assumeSandboxPossible();
    sandbox = PacmanSandbox.createDemo(dir.resolve("pacman"), ProcessRunner.create());
    databases = new PacmanDatabases(sandbox.dbPath(), List.of("demo"));
  }

  @Test
  @DisplayName("Installed and available packages are exactly what pacman -Q, -Qi and -Sl show")
  void sameAsPacman() throws Exception {
    sandbox.install("demo-app");
    PacmanInventory inventory = databases.current();

    assertThat(inventory.problems()).isEmpty();
    assertThat(inventory.local().packages()).extracting(p -> p.name() + " " + p.version())
        .containsExactlyElementsOf(sandbox.pacman("-Q").stdout().lines());
    List<String> syncLines = new ArrayList<>();
    for (PacmanPackage p : inventory.sync().get(0).packages()) {
      String installed = inventory.installed(p.name()).map(i -> i.version().equals(p.version())
          ? " [installed]" : " [installed: " + i.version() + "]").orElse("");
      syncLines.add(p.database() + " " + p.name() + " " + p.version() + installed);
    }
    assertThat(syncLines).containsExactlyElementsOf(sandbox.pacman("-Sl", "demo").stdout().lines());

    for (Map<String, String> info : queryInfo(sandbox.pacman("-Qi"))) {
      PacmanPackage ours = inventory.installed(info.get("Name")).orElseThrow();
      assertThat(ours.version()).isEqualTo(info.get("Version"));
      assertThat(ours.description()).isEqualTo(info.get("Description"));
      assertThat(ours.architecture()).isEqualTo(info.get("Architecture"));
      assertThat(ours.url().orElse("None")).isEqualTo(info.get("URL"));
      assertThat(ours.depends().isEmpty() ? "None" : String.join("  ", ours.depends())).isEqualTo(info.get("Depends On"));
      assertThat(ours.provides().isEmpty() ? "None" : String.join("  ", ours.provides())).isEqualTo(info.get("Provides"));
      assertThat(ours.reason() == PacmanPackage.Reason.EXPLICIT ? "Explicitly installed"
          : "Installed as a dependency for another package").isEqualTo(info.get("Install Reason"));
      assertThat(ours.installDate()).isPresent();
    }
  }

  @Test
  @DisplayName("updates() lists what pacman -Qu lists, and marks IgnorePkg entries as -Qu does with [ignored]")
  void updatesLikeQu() throws Exception {
    PacmanInventory inventory = databases.current();
    assertThat(format(inventory.updates(Set.of()))).containsExactlyElementsOf(sandbox.pacman("-Qu").stdout().lines());

    Path ignoring = dir.resolve("ignoring.conf");
    Files.writeString(ignoring, Files.readString(sandbox.configFile()).replace("[options]\n",
        "[options]\nIgnorePkg = demo-tool\n"));
    ProcessResult qu = ProcessRunner.create().run(io.linuxpatch.process.ProcessSpec.of(
        List.of(PacmanSandbox.PACMAN.toString(), "--config", ignoring.toString(), "-Qu")));
    assertThat(format(inventory.updates(Set.of("demo-tool")))).containsExactlyElementsOf(qu.stdout().lines())
        .contains("demo-tool 1.0-1 -> 1.1-1 [ignored]");
  }

  @Test
  @DisplayName("Unchanged databases give the same snapshot; reads (-Q, -Qu, --print) change nothing")
  void unchangedIsSameObject() throws Exception {
    PacmanInventory first = databases.current();
    sandbox.pacman("-Q");
    sandbox.pacman("-Qu");
    sandbox.pacman("-S", "--print", "--", "demo-app");

    assertThat(databases.current()).isSameAs(first);
  }

  @Test
  @Tag("PKG-2")
  @DisplayName("An install re-reads the local database only; a reason change (-D) and a refresh are seen too")
  void changesAreSeen() throws Exception {
    PacmanInventory before = databases.current();

    sandbox.install("demo-app");
    PacmanInventory afterInstall = databases.current();
    assertThat(afterInstall).isNotSameAs(before);
    assertThat(afterInstall.installed("demo-lib").orElseThrow().reason()).isEqualTo(PacmanPackage.Reason.DEPENDENCY);
    assertThat(afterInstall.sync().get(0)).isSameAs(before.sync().get(0));

    assertThat(sandbox.pacman("-D", "--asdeps", "--", "demo-base").succeeded()).isTrue();
    PacmanInventory afterReason = databases.current();
    assertThat(afterReason.installed("demo-base").orElseThrow().reason()).isEqualTo(PacmanPackage.Reason.DEPENDENCY);

    sandbox.publish(List.of(PacmanPackageSpec.of("demo-base", "1.2-1", "demo base files, now with an update")));
    PacmanInventory afterRefresh = databases.current();
    assertThat(afterRefresh.sync().get(0)).isNotSameAs(before.sync().get(0));
    assertThat(afterRefresh.available("demo-base").orElseThrow().version()).isEqualTo("1.2-1");
    assertThat(afterRefresh.updates(Set.of())).extracting(PacmanInventory.PendingUpdate::name)
        .containsExactly("demo-base", "demo-ssl", "demo-tool");
  }

  private static List<String> format(List<PacmanInventory.PendingUpdate> updates) {
    return updates.stream().map(u -> u.name() + " " + u.installedVersion() + " -> " + u.availableVersion()
        + (u.ignored() ? " [ignored]" : "")).toList();
  }

  /** {@code pacman -Qi} blocks as field → value maps. */
  private static List<Map<String, String>> queryInfo(ProcessResult result) {
    List<Map<String, String>> blocks = new ArrayList<>();
    Map<String, String> block = new LinkedHashMap<>();
    for (String line : result.stdout().lines()) {
      if (line.isBlank()) {
        if (!block.isEmpty()) {
          blocks.add(block);
        }
        block = new LinkedHashMap<>();
      } else {
        int colon = line.indexOf(" : ");
        block.put(line.substring(0, colon).strip(), line.substring(colon + 3));
      }
    }
    if (!block.isEmpty()) {
      blocks.add(block);
    }
    return blocks;
  }
}
