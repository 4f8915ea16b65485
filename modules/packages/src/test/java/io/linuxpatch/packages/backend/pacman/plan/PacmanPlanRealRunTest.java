package io.linuxpatch.packages.backend.pacman.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.pacman.HostPacmanStateGuard;
import io.linuxpatch.packages.backend.pacman.PacmanAssumptions;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanDatabases;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanSandbox;
import io.linuxpatch.packages.plan.Plan;
import io.linuxpatch.packages.plan.RebootHeuristic;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Each plan is then carried out by real pacman, and the local database shows exactly what the plan said. */
@ExtendWith(HostPacmanStateGuard.class)
class PacmanPlanRealRunTest {

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
  @DisplayName("The conflict plan is what pacman does with --ask=4; with --noconfirm alone pacman refuses it")
  void conflictNeedsAsk() throws Exception {
    Plan plan = PrintCapture.print(sandbox, "-S", List.of(), "demo-modern")
        .toPlan(PacmanPrint.Operation.SYNC, databases.current(), Set.of(), RebootHeuristic.DEFAULT);

    ProcessResult refused = sandbox.pacman("--noconfirm", "-S", "--", "demo-modern");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr().text()).contains("error: unresolvable package conflicts detected");

    ProcessResult done = sandbox.pacman("--noconfirm", "--ask=4", "-S", "--", "demo-modern");
    assertThat(done.exitCode()).as(done.stderr().text()).isZero();
    assertThat(plan.actions()).extracting(a -> a.kind() + " " + a.name())
        .containsExactly("INSTALL demo-modern", "REMOVE demo-legacy");
    assertThat(databases.current().installed("demo-modern")).isPresent();
    assertThat(databases.current().installed("demo-legacy")).isEmpty();
  }

  @Test
  @DisplayName("After an upgrade, -U of the cached 1.0-1 file plans a downgrade with no download, and pacman does it")
  void downgradeFromCache() throws Exception {
    assertThat(sandbox.pacman("--noconfirm", "-Su").exitCode()).isZero();
    String cached = sandbox.cacheDirectory().resolve("demo-tool-1.0-1-any.pkg.tar.zst").toString();

    Plan plan = PrintCapture.print(sandbox, "-U", List.of(), cached)
        .toPlan(PacmanPrint.Operation.UPGRADE_FILES, databases.current(), Set.of(), RebootHeuristic.DEFAULT);
    assertThat(plan.actions()).extracting(a -> a.kind() + " " + a.name() + " " + a.fromVersion() + " " + a.toVersion()
        + " " + a.suite()).containsExactly("DOWNGRADE demo-tool 1.1-1 1.0-1 null");
    assertThat(plan.downloadSizeBytes()).isZero();

    ProcessResult downgrade = sandbox.pacman("--noconfirm", "-U", "--", cached);
    assertThat(downgrade.exitCode()).isZero();
    assertThat(downgrade.stderr().text()).contains("warning: downgrading package demo-tool (1.1-1 => 1.0-1)");
    assertThat(databases.current().installed("demo-tool").orElseThrow().version()).isEqualTo("1.0-1");
  }

  @Test
  @DisplayName("-Rs demo-app after installing it plans both removals, and pacman removes both")
  void recursiveRemoval() throws Exception {
    sandbox.install("demo-app");
    Plan plan = PrintCapture.print(sandbox, "-Rs", List.of(), "demo-app")
        .toPlan(PacmanPrint.Operation.REMOVE, databases.current(), Set.of(), RebootHeuristic.DEFAULT);

    assertThat(plan.actions()).extracting(a -> a.kind() + " " + a.name() + " " + a.fromVersion())
        .containsExactlyInAnyOrder("REMOVE demo-app 2.0-1", "REMOVE demo-lib 2.0-1");
    assertThat(sandbox.pacman("--noconfirm", "-Rs", "--", "demo-app").exitCode()).isZero();
    assertThat(databases.current().installed("demo-app")).isEmpty();
    assertThat(databases.current().installed("demo-lib")).isEmpty();
  }
}
