package io.linuxpatch.packages.backend.dnf.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.dnf.DnfTools;
import io.linuxpatch.packages.backend.dnf.HostRpmStateGuard;
import io.linuxpatch.packages.backend.dnf.sandbox.DnfSandbox;
import io.linuxpatch.packages.backend.dnf.sandbox.RpmSpec;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The stamps that key the dnf inventory cache: reads leave them alone, a transaction or a refresh changes them. */
@ExtendWith(HostRpmStateGuard.class)
class DnfStampsTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();

  @TempDir
  static Path dir;
  static DnfSandbox sandbox;

  @BeforeAll
  static void create() {
    DnfTools.assumeDnfSandboxTools();
    sandbox = DnfSandbox.create(dir, RUNNER);
  }

  @Test
  @DisplayName("rpm -qa, cache-only repoquery, updateinfo, check-update and an --assumeno plan change neither stamp")
  void readsLeaveStampsAlone() throws Exception {
    DnfStamps installed = DnfStamps.installed(sandbox.root());
    DnfStamps available = DnfStamps.available(sandbox.root(), sandbox.reposDirectory());

    List<String> rpmQuery = new ArrayList<>(sandbox.rpm().argv());
    rpmQuery.addAll(InstalledRpmQuery.arguments());
    run(ProcessSpec.of(rpmQuery).withExtraEnv(sandbox.environment()), 0);
    run(sandbox.dnf(AvailableRpmQuery.arguments()), 0);
    run(sandbox.dnf("-C", "-q", "updateinfo", "list", "--updates"), 0);
    run(sandbox.dnf("-C", "-q", "check-update"), 100);
    run(sandbox.dnf("-C", "--assumeno", "install", "--", "demo-app"), 1);

    assertThat(DnfStamps.installed(sandbox.root())).isEqualTo(installed);
    assertThat(DnfStamps.available(sandbox.root(), sandbox.reposDirectory())).isEqualTo(available);
    assertThat(installed.entries()).anySatisfy(e -> assertThat(e).startsWith("rpmdb.sqlite "));
    assertThat(available.entries()).anySatisfy(e -> assertThat(e).matches("demo-[0-9a-f]+/repodata/repomd.xml .*"))
        .anySatisfy(e -> assertThat(e).startsWith("demo.repo "));
  }

  @Test
  @DisplayName("the first read after a makecache rewrites dnf's solv cache, but the stamps stay: they leave it out")
  void makecacheThenRead() throws Exception {
    sandbox.addPackages(RpmSpec.of("demo-solv", "1.0", "1", "makes makecache write a new solv"));
    DnfStamps available = DnfStamps.available(sandbox.root(), sandbox.reposDirectory());
    FileTime solv = Files.getLastModifiedTime(
        sandbox.root().resolve("var/cache/dnf/demo.solv"));

    run(sandbox.dnf(AvailableRpmQuery.arguments()), 0);

    assertThat(DnfStamps.available(sandbox.root(), sandbox.reposDirectory())).isEqualTo(available);
    System.out.println("demo.solv rewritten by the first read after makecache: "
        + !Files.getLastModifiedTime(sandbox.root().resolve("var/cache/dnf/demo.solv")).equals(solv));
  }

  @Test
  @Tag("PKG-2")
  @DisplayName("an install changes the installed stamps; a repository change refreshed by makecache changes the available ones")
  void changesAreSeen() throws Exception {
    DnfStamps installed = DnfStamps.installed(sandbox.root());
    DnfStamps available = DnfStamps.available(sandbox.root(), sandbox.reposDirectory());

    run(sandbox.dnf("-C", "-y", "install", "--", "demo-lib"), 0);
    DnfStamps installedAfter = DnfStamps.installed(sandbox.root());
    sandbox.addPackages(RpmSpec.of("demo-later", "1.0", "1", "added later"));

    assertThat(installedAfter).isNotEqualTo(installed);
    assertThat(DnfStamps.available(sandbox.root(), sandbox.reposDirectory())).isNotEqualTo(available);
  }

  @Test
  @DisplayName("a root without dnf's cache has the stamp 'no cache'")
  void noCache(@TempDir Path empty) throws Exception {
    assertThat(DnfStamps.available(empty, empty).entries()).containsExactly("no cache");
  }

  private static void run(ProcessSpec spec, int expectedExit) {
    ProcessResult result = RUNNER.run(spec);
    assertThat(result.exitCode()).as("%s: %s", spec.argv(), result.stderr().text()).isEqualTo(expectedExit);
  }
}
