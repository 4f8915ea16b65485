package io.linuxpatch.packages.backend.pacman.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linuxpatch.packages.backend.pacman.HostPacmanStateGuard;
import io.linuxpatch.packages.backend.pacman.PacmanAssumptions;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanDatabases;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanInventory;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanPackageBuilder;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanPackageSpec;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanSandbox;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A refresh into a separate DBPath: pacman's own sync databases, log and lock stay untouched (no partial upgrade). */
@ExtendWith(HostPacmanStateGuard.class)
class DetachedRefreshTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();

  @TempDir
  Path dir;
  PacmanSandbox sandbox;

  @BeforeEach
  void createSandbox() {
    PacmanAssumptions.assumeSandboxPossible();
    sandbox = PacmanSandbox.createDemo(dir.resolve("pacman"), RUNNER);
  }

  @Test
  @DisplayName("The mirror gains demo-base 1.2-1: only the separate copy sees it until -Syu upgrades in one transaction")
  void refreshesBesideTheRealDatabases() throws Exception {
    // a new version reaches the mirror; the sandbox's own databases are not refreshed
    Path file = new PacmanPackageBuilder(dir.resolve("build"), RUNNER)
        .build(PacmanPackageSpec.of("demo-base", "1.2-1", "demo base files, updated"), sandbox.repository().directory());
    sandbox.repository().add(List.of(file));
    Path realSync = sandbox.dbPath().resolve("sync/demo.db");
    byte[] syncBefore = Files.readAllBytes(realSync);
    FileTime dbPathBefore = Files.getLastModifiedTime(sandbox.dbPath());
    long logBefore = Files.size(sandbox.logFile());

    DetachedRefresh refresh = new DetachedRefresh(sandbox.dbPath(), dir.resolve("agent/pacman-sync"),
        dir.resolve("agent/pacman-refresh.log"));
    refresh.prepare();
    refresh.prepare(); // idempotent
    ProcessResult result = pacman(refresh.refreshArguments());

    assertThat(result.exitCode()).as(result.stderr().text()).isZero();
    assertThat(Files.readAllBytes(realSync)).isEqualTo(syncBefore);
    assertThat(Files.getLastModifiedTime(sandbox.dbPath())).as("no lock taken in the real DBPath").isEqualTo(dbPathBefore);
    assertThat(Files.size(sandbox.logFile())).isEqualTo(logBefore);
    assertThat(dir.resolve("agent/pacman-refresh.log")).content().contains("synchronizing package lists");

    PacmanInventory real = new PacmanDatabases(sandbox.dbPath(), List.of("demo")).current();
    PacmanInventory refreshed = new PacmanDatabases(refresh.dbPath(), List.of("demo")).current();
    assertThat(real.updates(Set.of())).extracting(PacmanInventory.PendingUpdate::name)
        .containsExactly("demo-ssl", "demo-tool");
    assertThat(refreshed.updates(Set.of())).extracting(PacmanInventory.PendingUpdate::name)
        .containsExactly("demo-base", "demo-ssl", "demo-tool");
    List<String> qu = new ArrayList<>(refresh.readArguments());
    qu.add("-Qu");
    assertThat(pacman(qu).stdout().lines()).contains("demo-base 1.0-1 -> 1.2-1");

    // -Syyu: -Sy compares whole-second times, and the mirror changed within the second the sandbox last synced
    assertThat(sandbox.pacman("--noconfirm", "-Syyu").exitCode()).isZero();
    assertThat(sandbox.pacman("-Q", "demo-base").stdout().lines()).containsExactly("demo-base 1.2-1");
  }

  @Test
  @DisplayName("The separate DBPath may not lie inside pacman's own")
  void refusesInsideRealDbPath() {
    assertThatThrownBy(() -> new DetachedRefresh(sandbox.dbPath(), sandbox.dbPath().resolve("x"), dir.resolve("l")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private ProcessResult pacman(List<String> args) {
    return sandbox.pacman(args.toArray(String[]::new));
  }
}
