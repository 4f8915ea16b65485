package io.linuxpatch.packages.backend.apt.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The developer-mode sandbox: created once, reused by a second call, and in the planned initial state. */
@ExtendWith(HostPackageDatabaseGuard.class)
class DemoSandboxTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();

  @TempDir
  static Path dir;
  static DemoSandbox first;
  static DemoSandbox second;
  static byte[] statusAfterFirst;
  static FileTime releaseAfterFirst;
  static FileTime markerAfterFirst;

  @BeforeAll
  static void createTwice() throws Exception {
    assumeTrue(Files.isExecutable(DebBuilder.DPKG_DEB), "dpkg-deb not installed");
    assumeTrue(Files.isExecutable(SandboxRoot.APT_GET), "apt-get not installed");
    first = DemoSandbox.create(dir, RUNNER);
    statusAfterFirst = Files.readAllBytes(first.root().resolve("var/lib/dpkg/status"));
    releaseAfterFirst = Files.getLastModifiedTime(first.repository().resolve("dists/stable/Release"));
    markerAfterFirst = Files.getLastModifiedTime(first.directory().resolve(DemoSandbox.MARKER));
    second = DemoSandbox.create(dir, RUNNER);
  }

  @Test
  @DisplayName("A second create() reuses the sandbox: same paths and settings, nothing rebuilt or reinstalled")
  void secondCallReuses() throws Exception {
    assertThat(first.reused()).isFalse();
    assertThat(second.reused()).isTrue();
    assertThat(second).usingRecursiveComparison().ignoringFields("reused").isEqualTo(first);
    assertThat(Files.readAllBytes(second.root().resolve("var/lib/dpkg/status"))).isEqualTo(statusAfterFirst);
    assertThat(Files.getLastModifiedTime(second.repository().resolve("dists/stable/Release")))
        .isEqualTo(releaseAfterFirst);
    assertThat(Files.getLastModifiedTime(second.directory().resolve(DemoSandbox.MARKER))).isEqualTo(markerAfterFirst);
  }

  @Test
  @DisplayName("The record carries the root, APT_CONFIG/TMPDIR and dpkg options the agent configuration needs")
  void configurationValues() {
    Path root = dir.resolve("sandbox/root");

    assertThat(first.root()).isEqualTo(root);
    assertThat(first.aptEnvironment()).containsOnlyKeys("APT_CONFIG", "TMPDIR");
    assertThat(Path.of(first.aptEnvironment().get("APT_CONFIG"))).startsWith(root).isRegularFile();
    assertThat(first.dpkgOptions()).contains("--root=" + root, "--log=" + root.resolve("var/log/dpkg.log"));
  }

  @Test
  @DisplayName("Exactly demo-base, demo-tool 1.0, demo-ssl 1.0 and demo-legacy are installed at first")
  void initialInstalledSet() {
    ProcessResult query = run(List.of("/usr/bin/dpkg-query", "--admindir=" + first.root().resolve("var/lib/dpkg"),
        "-W", "-f=${db:Status-Abbrev} ${Package} ${Version}\\n"));

    assertThat(query.stdout().lines()).containsExactlyInAnyOrder(
        "ii  demo-base 1.0", "ii  demo-tool 1.0", "ii  demo-ssl 1.0", "ii  demo-legacy 0.9");
  }

  @Test
  @DisplayName("apt-get -s upgrade offers demo-tool 1.1 from stable and demo-ssl 1.0+deb1 from stable-security")
  void upgradeCandidates() {
    List<String> inst = run(List.of("/usr/bin/apt-get", "-s", "upgrade")).stdout().lines().stream()
        .filter(l -> l.startsWith("Inst ")).toList();

    assertThat(inst).containsExactlyInAnyOrder(
        "Inst demo-tool [1.0] (1.1 Demo:1.0/stable [all])",
        "Inst demo-ssl [1.0] (1.0+deb1 Demo:1.0/stable-security [all])");
  }

  @Test
  @DisplayName("Installing demo-app pulls in demo-lib, and installing demo-modern removes demo-legacy")
  void dependencyAndConflictPlans() {
    List<String> app = run(List.of("/usr/bin/apt-get", "-s", "install", "--", "demo-app")).stdout().lines();
    List<String> modern = run(List.of("/usr/bin/apt-get", "-s", "install", "--", "demo-modern")).stdout().lines();

    assertThat(app).contains("Inst demo-lib (2.0 Demo:1.0/stable [all])", "Inst demo-app (2.0 Demo:1.0/stable [all])");
    assertThat(modern).contains("Remv demo-legacy [0.9]", "Inst demo-modern (1.0 Demo:1.0/stable [all])");
  }

  @Test
  @DisplayName("demo-tool's postinst ran chrootless and recorded its configure inside the sandbox")
  void postinstRecorded() {
    assertThat(first.root().resolve("var/lib/demo-tool/history")).hasContent("configured 1.0");
  }

  private static ProcessResult run(List<String> argv) {
    ProcessResult result = RUNNER.run(ProcessSpec.of(new ArrayList<>(argv)).withExtraEnv(first.aptEnvironment()));
    assertThat(result.succeeded()).as("%s: %s", argv, result.stderr().text()).isTrue();
    return result;
  }
}
