package io.linuxpatch.packages.sandbox;

import io.linuxpatch.packages.backend.apt.sandbox.SandboxRoot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linuxpatch.process.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sandbox layer never accepts the host's own root as a package root (OPS-3). */
@Tag("OPS-3")
class HostRootGuardTest {

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/", "//", "/.", "/tmp/..", "/var/lib/../../"})
  @DisplayName("A root that is / or normalises to / is refused with IllegalArgumentException")
  void refusesSlash(String root) {
    assertThatThrownBy(() -> SandboxRoot.at(Path.of(root), ProcessRunner.create()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host");
  }

  @Test
  @DisplayName("A symbolic link to / is refused, even with a not-yet-existing path below it resolved to /")
  void refusesSymlinkToSlash() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("host"), Path.of("/"));

    assertThatThrownBy(() -> HostRootGuard.requireSandboxRoot(link)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HostRootGuard.requireSandboxRoot(link.resolve("tmp/.."))).isInstanceOf(
        IllegalArgumentException.class);
  }

  @Test
  @DisplayName("A root whose var/lib/dpkg is a link to the host's package database is refused")
  void refusesLinkedDatabase() throws Exception {
    Path root = dir.resolve("root");
    Files.createDirectories(root.resolve("var/lib"));
    Files.createSymbolicLink(root.resolve("var/lib/dpkg"), Path.of("/var/lib/dpkg"));

    if (Files.isDirectory(Path.of("/var/lib/dpkg"))) {
      assertThatThrownBy(() -> HostRootGuard.requireSandboxRoot(root))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("package database");
    }
  }

  @Test
  @DisplayName("A fresh directory, existing or not, is accepted as an absolute normalised path")
  void acceptsDirectory() {
    assertThat(HostRootGuard.requireSandboxRoot(dir.resolve("a/../sandbox"))).isEqualTo(dir.resolve("sandbox"));
  }

  @Test
  @DisplayName("A root path apt's configuration cannot carry (a space, a quote) is refused")
  void refusesAptUnsafePath() {
    assertThatThrownBy(() -> SandboxRoot.at(dir.resolve("my root"), ProcessRunner.create()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SandboxRoot.at(dir.resolve("a\";Dir \"x"), ProcessRunner.create()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
