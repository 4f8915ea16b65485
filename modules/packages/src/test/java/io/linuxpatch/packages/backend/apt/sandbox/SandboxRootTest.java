package io.linuxpatch.packages.backend.apt.sandbox;

import io.linuxpatch.packages.sandbox.SandboxCommandException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real apt-get and dpkg on a sandbox root: one sandbox for the class, set up once, with demo-tool 1.0 and
 * 1.1 published and {@code apt-get install demo-tool} run.
 */
@ExtendWith(HostPackageDatabaseGuard.class)
class SandboxRootTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();

  @TempDir
  static Path dir;
  static HostPackageState hostBefore;
  static SandboxRoot sandbox;

  @BeforeAll
  static void installDemoTool() {
    assumeTrue(Files.isExecutable(DebBuilder.DPKG_DEB), "dpkg-deb not installed");
    assumeTrue(Files.isExecutable(SandboxRoot.APT_GET), "apt-get not installed");
    hostBefore = HostPackageState.capture();
    LocalRepository repository = LocalRepository.create(dir.resolve("repo"), "Test", "Test",
        List.of(new RepositorySuite("stable", "test", "1.0")), RUNNER);
    for (String version : List.of("1.0", "1.1")) {
      repository.add("stable", DebPackage.of("demo-tool", version, "tool")
          .withFile("usr/share/doc/demo-tool/README", "demo-tool " + version + "\n")
          .withPostinst("""
              if [ "$1" = configure ]; then
                echo "configured %s in $DPKG_ROOT" >> "$DPKG_ROOT/var/lib/demo-tool.history"
              fi
              """.formatted(version)));
    }
    repository.writeIndices();
    sandbox = SandboxRoot.at(dir.resolve("root"), RUNNER).create().useRepository(repository);
    sandbox.aptUpdate();
    sandbox.install("demo-tool");
  }

  @Test
  @DisplayName("apt-get install picks the newest candidate, and dpkg-query on the sandbox database shows it installed")
  void installsNewestCandidate() {
    ProcessResult query = run(List.of("/usr/bin/dpkg-query", "--admindir=" + sandbox.root().resolve("var/lib/dpkg"),
        "-W", "-f=${Package} ${Version} ${db:Status-Abbrev}\\n", "demo-tool"));

    assertThat(query.stdout().text()).isEqualTo("demo-tool 1.1 ii \n");
    assertThat(sandbox.root().resolve("usr/share/doc/demo-tool/README")).hasContent("demo-tool 1.1");
  }

  @Test
  @DisplayName("The postinst ran once, with DPKG_ROOT naming the sandbox root")
  void postinstRan() {
    assertThat(sandbox.root().resolve("var/lib/demo-tool.history"))
        .hasContent("configured 1.1 in " + sandbox.root());
  }

  @Test
  @DisplayName("copy: sources keep the installed .deb in the sandbox's archive cache and both versions stay candidates")
  void oldVersionsStayObtainable() {
    assertThat(sandbox.root().resolve("var/cache/apt/archives/demo-tool_1.1_all.deb")).isRegularFile();

    ProcessResult downgrade = run(List.of("/usr/bin/apt-get", "-s", "--allow-downgrades", "install", "--",
        "demo-tool=1.0"));
    assertThat(downgrade.stdout().lines()).anyMatch(l -> l.startsWith("Inst demo-tool [1.1] (1.0 Test:1.0/stable"));
  }

  @Test
  @DisplayName("dpkg logs to the sandbox's own dpkg.log")
  void dpkgLogsInsideTheSandbox() throws Exception {
    assertThat(Files.readString(sandbox.root().resolve("var/log/dpkg.log"))).contains(" install demo-tool:all ");
  }

  @Test
  @DisplayName("The host's dpkg status is byte-identical and its mtime unchanged after update and install")
  void hostUntouched() {
    assertThat(HostPackageState.capture()).isEqualTo(hostBefore);
  }

  @Test
  @DisplayName("The apt environment and dpkg options all point into the sandbox root")
  void environmentAndOptions() throws Exception {
    Path root = sandbox.root();

    assertThat(sandbox.aptEnvironment()).containsOnlyKeys("APT_CONFIG", "TMPDIR")
        .containsEntry("APT_CONFIG", root.resolve("etc/apt/lpa-sandbox.conf").toString())
        .containsEntry("TMPDIR", root.resolve("tmp").toString());
    assertThat(sandbox.dpkgOptions()).containsExactly("--root=" + root, "--admindir=" + root.resolve("var/lib/dpkg"),
        "--log=" + root.resolve("var/log/dpkg.log"), "--force-script-chrootless");
    assertThat(sandbox.statusFile()).isEqualTo(root.resolve("var/lib/dpkg/status"));
    assertThat((Integer) Files.getAttribute(sandbox.tmpDirectory(), "unix:mode") & 07777).isEqualTo(01777);
    assertThat(Files.readString(sandbox.sourcesList()))
        .contains("deb [trusted=yes] copy:" + dir.resolve("repo") + " stable main\n");
  }

  @Test
  @DisplayName("create() on an existing sandbox keeps its package database")
  void createIsIdempotent() throws Exception {
    byte[] status = Files.readAllBytes(sandbox.statusFile());

    SandboxRoot.at(sandbox.root(), RUNNER).create();

    assertThat(Files.readAllBytes(sandbox.statusFile())).isEqualTo(status);
  }

  @Test
  @DisplayName("install() refuses arguments apt would read as options or as a removal, before running apt")
  void installRefusesOperators() {
    for (String bad : List.of("-oAPT::Update::Pre-Invoke::=/bin/true", "demo-tool-", "demo-tool=1.0-", "",
        "Demo-Tool", "demo tool")) {
      assertThatThrownBy(() -> sandbox.install(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> sandbox.install()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("A failing apt-get surfaces as SandboxCommandException carrying apt's E: line")
  void failureIsReported() {
    assertThatThrownBy(() -> sandbox.install("demo-missing"))
        .isInstanceOf(SandboxCommandException.class)
        .hasMessageContaining("Unable to locate package demo-missing")
        .satisfies(e -> assertThat(((SandboxCommandException) e).result().exitCode()).isEqualTo(100));
  }

  private static ProcessResult run(List<String> argv) {
    List<String> args = new ArrayList<>(argv);
    ProcessResult result = RUNNER.run(ProcessSpec.of(args).withExtraEnv(sandbox.aptEnvironment()));
    assertThat(result.succeeded()).as("%s: %s", argv, result.stderr().text()).isTrue();
    return result;
  }
}
