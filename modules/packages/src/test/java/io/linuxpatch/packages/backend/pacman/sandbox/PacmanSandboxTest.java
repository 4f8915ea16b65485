package io.linuxpatch.packages.backend.pacman.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linuxpatch.packages.backend.pacman.HostPacmanStateGuard;
import io.linuxpatch.packages.backend.pacman.PacmanAssumptions;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The demo pacman sandbox: real pacman installs the initial set; everything stays inside the directory. */
@ExtendWith(HostPacmanStateGuard.class)
class PacmanSandboxTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();

  @TempDir
  static Path dir;
  static PacmanSandbox first;
  static PacmanSandbox second;
  static FileTime localDbAfterFirst;
  static FileTime markerAfterFirst;

  @BeforeAll
  static void createTwice() throws Exception {
    PacmanAssumptions.assumeSandboxPossible();
    first = PacmanSandbox.createDemo(dir.resolve("pacman"), RUNNER);
    localDbAfterFirst = Files.getLastModifiedTime(first.dbPath().resolve("local"));
    markerAfterFirst = Files.getLastModifiedTime(first.directory().resolve(PacmanSandbox.MARKER));
    second = PacmanSandbox.createDemo(dir.resolve("pacman"), RUNNER);
  }

  @Test
  @DisplayName("A second createDemo() reuses the sandbox: same paths, nothing rebuilt or reinstalled; the first reports its time")
  void secondCallReuses() throws Exception {
    assertThat(first.reused()).isFalse();
    assertThat(first.creationMillis()).isPositive();
    assertThat(second.reused()).isTrue();
    assertThat(second.root()).isEqualTo(first.root());
    assertThat(second.pacmanOptions()).isEqualTo(first.pacmanOptions());
    assertThat(Files.getLastModifiedTime(second.dbPath().resolve("local"))).isEqualTo(localDbAfterFirst);
    assertThat(Files.getLastModifiedTime(second.directory().resolve(PacmanSandbox.MARKER))).isEqualTo(markerAfterFirst);
  }

  @Test
  @DisplayName("pacman-conf confirms every path pacman writes (root, db, cache, log, keyring, hooks) is inside the sandbox")
  void everyPathInside() {
    ProcessResult conf = RUNNER.run(ProcessSpec.of(List.of("/usr/bin/pacman-conf", "--config",
        first.configFile().toString())));
    assertThat(conf.succeeded()).as(conf.stderr().text()).isTrue();
    String root = first.root().toString();
    for (String key : List.of("RootDir", "DBPath", "CacheDir", "LogFile", "GPGDir", "HookDir")) {
      assertThat(conf.stdout().lines()).filteredOn(l -> l.startsWith(key + " = ")).singleElement()
          .satisfies(line -> assertThat(line.substring(key.length() + 3)).startsWith(root));
    }
    assertThat(conf.stdout().lines()).contains("SigLevel = PackageNever", "CheckSpace");
    assertThat(first.pacmanOptions()).containsExactly("--config", first.configFile().toString());
    assertThat(first.environment()).isEmpty();
  }

  @Test
  @DisplayName("Installed at first: demo-base, demo-tool 1.0-1, demo-ssl 1.0-1, demo-legacy and sandbox-sh (as a dependency)")
  void initialInstalledSet() {
    ProcessResult query = first.pacman("-Q");
    assertThat(query.stdout().lines()).containsExactly(
        "demo-base 1.0-1", "demo-legacy 0.9-1", "demo-ssl 1.0-1", "demo-tool 1.0-1", "sandbox-sh 1.0-1");
    assertThat(first.pacman("-Qqd").stdout().lines()).containsExactly("sandbox-sh");
    assertThat(first.root().resolve("var/lib/demo-tool/history")).content().isEqualTo("installed 1.0-1\n");
  }

  @Test
  @DisplayName("pacman -Qu offers demo-ssl and demo-tool 1.1-1; the installed 1.0-1 files stay in the sandbox cache")
  void updatesAndCache() {
    assertThat(first.pacman("-Qu").stdout().lines())
        .containsExactly("demo-ssl 1.0-1 -> 1.1-1", "demo-tool 1.0-1 -> 1.1-1");
    assertThat(first.cacheDirectory().resolve("demo-tool-1.0-1-any.pkg.tar.zst")).isRegularFile();
    assertThat(first.cacheDirectory().resolve("demo-ssl-1.0-1-any.pkg.tar.zst")).isRegularFile();
    assertThat(first.trackerFeed()).content(StandardCharsets.UTF_8).contains("\"demo-ssl\"", "CVE-2026-0001");
  }

  @Test
  @DisplayName("The demo tracker feed classifies demo-ssl's pending update as security (AVG-1, High) and demo-tool's not")
  void demoFeedClassifiesUpdates() throws Exception {
    io.linuxpatch.packages.backend.pacman.advisory.ArchFeedLoad load;
    try (java.io.InputStream in = Files.newInputStream(first.trackerFeed())) {
      load = new io.linuxpatch.packages.backend.pacman.advisory.ArchSecurityFeed().read(in);
    }
    var index = ((io.linuxpatch.packages.backend.pacman.advisory.ArchFeedLoad.Loaded) load).index();
    var inventory = new io.linuxpatch.packages.backend.pacman.inventory.PacmanDatabases(first.dbPath(),
        List.of(PacmanDemoPackages.REPOSITORY)).current();

    assertThat(inventory.updates(java.util.Set.of())).extracting(u -> u.name() + " "
            + index.match(u.name(), u.installedVersion(), u.availableVersion()).security() + " "
            + index.match(u.name(), u.installedVersion(), u.availableVersion()).severity().json())
        .containsExactly("demo-ssl true high", "demo-tool false unknown");
  }

  @Test
  @DisplayName("The host root / is refused, and a directory pacman.conf cannot carry is refused")
  void refusesHostRoot() {
    assertThatThrownBy(() -> PacmanSandbox.createDemo(Path.of("/"), RUNNER))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host root");
    assertThatThrownBy(() -> PacmanSandbox.createDemo(dir.resolve("a#b"), RUNNER))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pacman.conf cannot carry");
  }
}
