package io.linuxpatch.packages.backend.pacman.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.pacman.HostPacmanStateGuard;
import io.linuxpatch.packages.backend.pacman.PacmanAssumptions;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Install scriptlets really run, chrooted in the sandbox through sandbox-sh; a failing one is reported as pacman does. */
@ExtendWith(HostPacmanStateGuard.class)
class PacmanSandboxScriptletTest {

  @TempDir
  Path dir;
  PacmanSandbox sandbox;

  @BeforeEach
  void createSandbox() {
    PacmanAssumptions.assumeSandboxPossible();
    sandbox = PacmanSandbox.createDemo(dir.resolve("pacman"), ProcessRunner.create());
  }

  @Test
  @DisplayName("Upgrading demo-tool runs its post_upgrade chrooted: the history file under the root gains a line")
  void postUpgradeRuns() {
    ProcessResult upgrade = sandbox.pacman("--noconfirm", "-S", "--", "demo-tool");

    assertThat(upgrade.exitCode()).as(upgrade.stderr().text()).isZero();
    assertThat(sandbox.root().resolve("var/lib/demo-tool/history"))
        .content().isEqualTo("installed 1.0-1\nupgraded 1.0-1 -> 1.1-1\n");
  }

  @Test
  @DisplayName("A published package whose post_install fails: pacman says so, exits 0 and records it installed")
  void failingScriptlet() {
    sandbox.publish(List.of(PacmanDemoPackages.failingScriptlet("demo-broken", "1.0-1")));

    ProcessResult install = sandbox.pacman("--noconfirm", "-S", "--", "demo-broken");

    assertThat(install.exitCode()).isZero();
    assertThat(install.stdout().text()).contains("post_install of demo-broken is failing on purpose");
    assertThat(install.stderr().text()).contains("error: command failed to execute correctly");
    assertThat(sandbox.pacman("-Q", "demo-broken").stdout().lines()).containsExactly("demo-broken 1.0-1");
  }
}
