package io.linuxpatch.packages.backend.pacman.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.pacman.HostPacmanStateGuard;
import io.linuxpatch.packages.backend.pacman.PacmanAssumptions;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanDatabases;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanInventory;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanSandbox;
import io.linuxpatch.packages.plan.Plan;
import io.linuxpatch.packages.plan.PlanAction;
import io.linuxpatch.packages.plan.RebootHeuristic;
import io.linuxpatch.process.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Plans from pacman's own resolution (--print, captured live on the demo sandbox) joined with the local database. */
@ExtendWith(HostPacmanStateGuard.class)
class PacmanPrintSandboxTest {

  @TempDir
  static Path dir;
  static PacmanSandbox sandbox;
  static PacmanInventory inventory;

  @BeforeAll
  static void createSandbox() throws Exception {
    PacmanAssumptions.assumeSandboxPossible();
    sandbox = PacmanSandbox.createDemo(dir.resolve("pacman"), ProcessRunner.create());
    inventory = new PacmanDatabases(sandbox.dbPath(), List.of("demo")).current();
  }

  @Test
  @DisplayName("-S demo-app: demo-lib first, then demo-app, both installs from demo, download = both files")
  void installPullsDependency() throws Exception {
    PacmanPrint print = PrintCapture.print(sandbox, "-S", List.of(), "demo-app");

    assertThat(print.targets()).extracting(PrintedTarget::name).containsExactly("demo-lib", "demo-app");
    assertThat(print.targets().get(0).location()).endsWith("/repo/demo-lib-2.0-1-any.pkg.tar.zst");
    Plan plan = print.toPlan(PacmanPrint.Operation.SYNC, inventory, Set.of(), RebootHeuristic.DEFAULT);
    assertThat(plan.actions()).extracting(a -> a.kind() + " " + a.name() + " " + a.fromVersion() + " " + a.toVersion()
        + " " + a.suite() + " " + a.arch()).containsExactly(
        "INSTALL demo-lib null 2.0-1 demo any", "INSTALL demo-app null 2.0-1 demo any");
    assertThat(plan.downloadSizeBytes()).isEqualTo(
        Files.size(sandbox.repository().directory().resolve("demo-lib-2.0-1-any.pkg.tar.zst"))
            + Files.size(sandbox.repository().directory().resolve("demo-app-2.0-1-any.pkg.tar.zst")));
    assertThat(plan.keptBack()).isEmpty();
  }

  @Test
  @DisplayName("-Su: upgrades demo-ssl and demo-tool from 1.0-1 to 1.1-1")
  void systemUpgrade() {
    Plan plan = PrintCapture.print(sandbox, "-Su", List.of())
        .toPlan(PacmanPrint.Operation.SYSTEM_UPGRADE, inventory, Set.of(), RebootHeuristic.DEFAULT);

    assertThat(plan.actions()).extracting(a -> a.kind() + " " + a.name() + " " + a.fromVersion() + " " + a.toVersion())
        .containsExactly("UPGRADE demo-ssl 1.0-1 1.1-1", "UPGRADE demo-tool 1.0-1 1.1-1");
    assertThat(plan.requiresReboot()).isFalse();
    assertThat(plan.downloadSizeBytes()).isPositive();
  }

  @Test
  @DisplayName("-Su --ignore demo-tool: only demo-ssl is upgraded, demo-tool is kept back by the hold")
  void holdKeepsBack() {
    Plan plan = PrintCapture.print(sandbox, "-Su", List.of("--ignore", "demo-tool"))
        .toPlan(PacmanPrint.Operation.SYSTEM_UPGRADE, inventory, Set.of("demo-tool"), RebootHeuristic.DEFAULT);

    assertThat(plan.actions()).extracting(PlanAction::name).containsExactly("demo-ssl");
    assertThat(plan.keptBack()).containsExactly("demo-tool");
  }

  @Test
  @DisplayName("-S of an installed, current package is a reinstall; with --needed pacman prints nothing: an empty plan")
  void reinstallAndNothingToDo() {
    Plan reinstall = PrintCapture.print(sandbox, "-S", List.of(), "demo-base")
        .toPlan(PacmanPrint.Operation.SYNC, inventory, Set.of(), RebootHeuristic.DEFAULT);
    Plan needed = PrintCapture.print(sandbox, "-S", List.of("--needed"), "demo-base")
        .toPlan(PacmanPrint.Operation.SYNC, inventory, Set.of(), RebootHeuristic.DEFAULT);

    assertThat(reinstall.actions()).extracting(a -> a.kind() + " " + a.fromVersion() + " " + a.toVersion())
        .containsExactly("REINSTALL 1.0-1 1.0-1");
    assertThat(reinstall.downloadSizeBytes()).as("the installed version is in the cache").isZero();
    assertThat(needed.isEmpty()).isTrue();
  }

  @Test
  @DisplayName("-S demo-modern: --print lists only demo-modern; the plan adds the removal of demo-legacy it conflicts with")
  void conflictRemovalJoined() {
    PacmanPrint print = PrintCapture.print(sandbox, "-S", List.of(), "demo-modern");
    Plan plan = print.toPlan(PacmanPrint.Operation.SYNC, inventory, Set.of(), RebootHeuristic.DEFAULT);

    assertThat(print.targets()).extracting(PrintedTarget::name).containsExactly("demo-modern");
    assertThat(plan.actions()).extracting(a -> a.kind() + " " + a.name() + " " + a.fromVersion() + " " + a.toVersion())
        .containsExactly("INSTALL demo-modern null 1.0-1", "REMOVE demo-legacy 0.9-1 null");
  }

  @Test
  @DisplayName("-R demo-legacy: a removal of the installed version, nothing to download")
  void removal() {
    PacmanPrint print = PrintCapture.print(sandbox, "-R", List.of(), "demo-legacy");
    Plan plan = print.toPlan(PacmanPrint.Operation.REMOVE, inventory, Set.of(), RebootHeuristic.DEFAULT);

    assertThat(print.targets()).containsExactly(
        new PrintedTarget("local", "demo-legacy", "0.9-1", print.targets().get(0).sizeBytes(), "demo-legacy-0.9-1"));
    assertThat(plan.actions()).extracting(a -> a.kind() + " " + a.name() + " " + a.fromVersion() + " " + a.arch())
        .containsExactly("REMOVE demo-legacy 0.9-1 any");
    assertThat(plan.downloadSizeBytes()).isNull();
  }

  @Test
  @DisplayName("-Qu is read as pacman printed it, [ignored] included when IgnorePkg names the package")
  void queryUpdates() throws Exception {
    UpdateListing plain = UpdateListing.parse(sandbox.pacman("-Qu").stdout().text());
    Path ignoring = dir.resolve("ignoring.conf");
    Files.writeString(ignoring, Files.readString(sandbox.configFile())
        .replace("[options]\n", "[options]\nIgnorePkg = demo-tool\n"));
    UpdateListing held = UpdateListing.parse(ProcessRunner.create().run(io.linuxpatch.process.ProcessSpec.of(
        List.of(PacmanSandbox.PACMAN.toString(), "--config", ignoring.toString(), "-Qu"))).stdout().text());

    assertThat(plain.unreadLines()).isEmpty();
    assertThat(plain.updates()).containsExactly(
        new UpdateListing.Update("demo-ssl", "1.0-1", "1.1-1", false),
        new UpdateListing.Update("demo-tool", "1.0-1", "1.1-1", false));
    assertThat(held.updates()).contains(new UpdateListing.Update("demo-tool", "1.0-1", "1.1-1", true));
  }
}
