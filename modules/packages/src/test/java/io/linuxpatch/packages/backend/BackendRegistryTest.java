package io.linuxpatch.packages.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.process.ProcessRunner;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PKG-1's choice of backend: {@code auto} takes the host's, an explicit name is obeyed, and a backend that cannot run
 * here is not started but says why (the agent then runs with the {@code package_manager} health check failing).
 * Only the choice is tested here: no backend is started on the host's root.
 */
@Tag("PKG-1")
class BackendRegistryTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();

  @TempDir
  Path dir;

  private static AgentConfig config(JsonObject packageManager) {
    return AgentConfig.parse(new JsonObject().put("package_manager", packageManager)).config();
  }

  @Test
  @DisplayName("none runs no backend and says so")
  void none() {
    BackendRegistry.Choice choice = BackendRegistry.choose(config(new JsonObject().put("backend", "none")), RUNNER);
    assertThat(choice.backend()).isNull();
    assertThat(choice.unavailable()).contains("none");
  }

  @Test
  @DisplayName("auto on a host with dpkg and apt-get chooses apt, the host's own, even where dnf is installed too")
  void autoChoosesTheHostsOwn() {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")) && Files.isExecutable(Path.of("/usr/bin/apt-get")),
        "this host has no dpkg and apt-get");
    BackendRegistry.Choice choice = BackendRegistry.choose(config(new JsonObject().put("backend", "auto")), RUNNER);
    assertThat(choice.name()).isEqualTo("apt");
  }

  @Test
  @DisplayName("an explicit dnf is obeyed, and a root without an rpm database is refused with the reason")
  void explicitDnfWithoutDatabase() {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/dnf")) && Files.isExecutable(Path.of("/usr/bin/rpm")),
        "dnf and rpm are not installed here");
    String root = dir.toString();
    BackendRegistry.Choice choice = BackendRegistry.choose(config(new JsonObject().put("backend", "dnf")
        .put("root", root).put("options", new JsonArray().add("--installroot=" + root))), RUNNER);
    assertThat(choice.backend()).isNull();
    assertThat(choice.name()).isEqualTo("dnf");
    assertThat(choice.unavailable()).contains("no rpm database").contains(root);
  }

  @Test
  @DisplayName("a sandbox root whose tool isolation is missing is refused rather than half-read from the host")
  void rootWithoutIsolation() {
    String root = dir.toString();
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-get")), "apt-get is not installed here");
    BackendRegistry.Choice apt = BackendRegistry.choose(config(new JsonObject().put("backend", "apt")
        .put("root", root)), RUNNER);
    assertThat(apt.backend()).isNull();
    assertThat(apt.unavailable()).contains("APT_CONFIG");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/pacman")), "pacman is not installed here");
    BackendRegistry.Choice pacman = BackendRegistry.choose(config(new JsonObject().put("backend", "pacman")
        .put("root", root)), RUNNER);
    assertThat(pacman.backend()).isNull();
    assertThat(pacman.unavailable()).contains("--config");
  }
}
