package io.linuxpatch.packages.backend.dnf.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linuxpatch.packages.backend.dnf.DnfTools;
import io.linuxpatch.packages.backend.dnf.HostRpmStateGuard;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The dnf sandbox: built once with real rpmbuild, createrepo_c and dnf, reused by a second call, in the planned state. */
@ExtendWith(HostRpmStateGuard.class)
class DnfSandboxTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();

  @TempDir
  static Path dir;
  static DnfSandbox first;
  static DnfSandbox second;
  static long creationMillis;
  static byte[] databaseAfterFirst;
  static FileTime markerAfterFirst;

  @BeforeAll
  static void createTwice() throws Exception {
    DnfTools.assumeDnfSandboxTools();
    long started = System.nanoTime();
    first = DnfSandbox.create(dir, RUNNER);
    creationMillis = (System.nanoTime() - started) / 1_000_000;
    System.out.println("dnf sandbox created in " + creationMillis + " ms");
    databaseAfterFirst = Files.readAllBytes(first.rpmDatabase().resolve("rpmdb.sqlite"));
    markerAfterFirst = Files.getLastModifiedTime(first.directory().resolve(DnfSandbox.MARKER));
    second = DnfSandbox.create(dir, RUNNER);
  }

  @Test
  @DisplayName("A second create() reuses the sandbox: same paths and options, nothing rebuilt or reinstalled")
  void secondCallReuses() throws Exception {
    assertThat(first.reused()).isFalse();
    assertThat(second.reused()).isTrue();
    assertThat(second.root()).isEqualTo(first.root());
    assertThat(second.dnfOptions()).isEqualTo(first.dnfOptions());
    assertThat(second.environment()).isEqualTo(first.environment());
    assertThat(Files.readAllBytes(second.rpmDatabase().resolve("rpmdb.sqlite"))).isEqualTo(databaseAfterFirst);
    assertThat(Files.getLastModifiedTime(second.directory().resolve(DnfSandbox.MARKER))).isEqualTo(markerAfterFirst);
  }

  @Test
  @DisplayName("The options, environment and rpm options carry the root, the sandbox config and only versionlock")
  void configurationValues() {
    Path root = dir.resolve("sandbox/root");
    assertThat(first.root()).isEqualTo(root);
    assertThat(first.dnfOptions()).containsExactly("--installroot=" + root,
        "--config=" + dir.resolve("sandbox/dnf/dnf.conf"), "--releasever=1",
        "--setopt=reposdir=" + dir.resolve("sandbox/dnf/repos.d"), "--disableplugin=*", "--enableplugin=versionlock");
    assertThat(first.environment()).containsOnlyKeys("HOME");
    assertThat(Path.of(first.environment().get("HOME")).resolve(".rpmmacros")).hasContent("%_dbpath /var/lib/rpm");
    assertThat(first.rpmOptions()).containsExactly("--root=" + root, "--dbpath=/var/lib/rpm");
    assertThat(first.rpmDatabase().resolve("rpmdb.sqlite")).isRegularFile();
    assertThat(root.resolve("root/.rpmdb")).doesNotExist();
  }

  @Test
  @DisplayName("Exactly sandbox-sh, demo-base, demo-tool 1.0-1, demo-ssl 1.0-1 and demo-legacy are installed at first")
  void initialInstalledSet() {
    ProcessResult query = run(first.rpm("-qa", "--qf", "%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n"));

    assertThat(query.stdout().lines()).containsExactlyInAnyOrder("sandbox-sh-1-1." + hostArch(), "demo-base-1.0-1.noarch",
        "demo-tool-1.0-1.noarch", "demo-ssl-1.0-1.noarch", "demo-legacy-0.9-1.noarch");
  }

  @Test
  @DisplayName("dnf check-update (cache only) exits 100 offering demo-tool 1.1-1 and demo-ssl 1.1-1 from the demo repository")
  void upgradeCandidates() {
    ProcessResult result = RUNNER.run(first.dnf("-C", "-q", "check-update"));

    assertThat(result.exitCode()).as(result.stderr().text()).isEqualTo(100);
    assertThat(result.stdout().lines().stream().filter(l -> !l.isBlank()).map(l -> l.strip().replaceAll("\\s+", " ")))
        .containsExactlyInAnyOrder("demo-ssl.noarch 1.1-1 demo", "demo-tool.noarch 1.1-1 demo");
  }

  @Test
  @DisplayName("dnf updateinfo shows DEMO-2026:0001, Important/Sec., for demo-ssl 1.1-1, naming CVE-2026-0001")
  void securityAdvisory() {
    List<String> ids = run(first.dnf("-C", "-q", "updateinfo", "list", "--updates")).stdout().lines();
    List<String> cves = run(first.dnf("-C", "-q", "updateinfo", "list", "--updates", "--with-cve")).stdout().lines();

    assertThat(ids).containsExactly("DEMO-2026:0001 Important/Sec. demo-ssl-1.1-1.noarch");
    assertThat(cves).containsExactly("CVE-2026-0001 Important/Sec. demo-ssl-1.1-1.noarch");
  }

  @Test
  @DisplayName("Installing demo-app pulls in demo-lib; demo-modern needs --allowerasing and then removes demo-legacy")
  void dependencyAndConflictPlans() {
    String app = RUNNER.run(first.dnf("-C", "--assumeno", "install", "--", "demo-app")).stdout().text();
    ProcessResult modern = RUNNER.run(first.dnf("-C", "--assumeno", "install", "--", "demo-modern"));
    String erasing = RUNNER.run(first.dnf("-C", "--assumeno", "--allowerasing", "install", "--", "demo-modern"))
        .stdout().text();

    assertThat(app).containsPattern("Installing:\n demo-app +noarch +2.0-1 +demo")
        .containsPattern("Installing dependencies:\n demo-lib +noarch +2.0-1 +demo");
    assertThat(modern.exitCode()).isEqualTo(1);
    assertThat(modern.stderr().text()).contains("conflicts with demo-legacy provided by demo-legacy-0.9-1.noarch");
    assertThat(erasing).containsPattern("Removing dependent packages:\n demo-legacy +noarch +0.9-1 +@demo");
  }

  @Test
  @DisplayName("demo-tool's %post ran chrooted with sandbox-sh's /bin/sh and recorded its configure inside the root")
  void postScriptletRecorded() {
    assertThat(first.root().resolve("var/lib/demo-tool/history")).hasContent("configured 1.0");
    assertThat(first.root().resolve("bin/sh")).isExecutable();
  }

  @Test
  @DisplayName("Only the versionlock plugin loads, and its lock list is the sandbox's")
  void onlyVersionlockLoads() throws Exception {
    ProcessResult verbose = run(first.dnf("-C", "-v", "repolist"));
    ProcessResult add = run(first.dnf("-C", "-q", "versionlock", "add", "--", "demo-base"));
    String listed = Files.readString(first.versionLockList());
    ProcessResult delete = run(first.dnf("-C", "-q", "versionlock", "delete", "--", "demo-base"));

    assertThat(verbose.stdout().lines()).contains("Loaded plugins: versionlock");
    assertThat(listed).contains("demo-base-0:1.0-1.*");
    assertThat(Files.readString(first.versionLockList())).doesNotContain("demo-base-0:1.0-1.*");
    assertThat(add.exitCode()).isZero();
    assertThat(delete.exitCode()).isZero();
  }

  @Test
  @DisplayName("addPackages builds a failing-%post package into the repository, keeps the advisory, and -C sees it")
  void addPackages() {
    List<Path> built = first.addPackages(DnfDemoPackages.failingScriptlet("demo-failpost", RpmSpec.Scriptlet.POST));

    assertThat(built).singleElement().satisfies(p -> assertThat(p.getFileName().toString())
        .isEqualTo("demo-failpost-1.0-1.noarch.rpm"));
    assertThat(run(first.dnf("-C", "-q", "repoquery", "--qf", "%{name}-%{evr}", "--", "demo-failpost")).stdout().lines())
        .containsExactly("demo-failpost-1.0-1");
    assertThat(run(first.dnf("-C", "-q", "updateinfo", "list", "--updates")).stdout().lines())
        .containsExactly("DEMO-2026:0001 Important/Sec. demo-ssl-1.1-1.noarch");
  }

  @Test
  @DisplayName("A sandbox whose root is a symbolic link to / is refused before anything runs")
  void refusesHostRoot(@TempDir Path other) throws Exception {
    Files.createDirectories(other.resolve("sandbox"));
    Files.createSymbolicLink(other.resolve("sandbox/root"), Path.of("/"));

    assertThatThrownBy(() -> DnfSandbox.create(other, RUNNER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host root");
    assertThat(other.resolve("sandbox/dnf")).doesNotExist();
  }

  @Test
  @DisplayName("A directory that dnf.conf could not carry (a $ would be a dnf variable) is refused")
  void refusesUnsafeDirectory(@TempDir Path other) {
    assertThatThrownBy(() -> DnfSandbox.create(other.resolve("a$releasever"), RUNNER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("$");
  }

  private static String hostArch() {
    return run(ProcessSpec.of("/usr/bin/rpm", "--eval", "%{_arch}").withExtraEnv(first.environment()))
        .stdout().text().strip();
  }

  private static ProcessResult run(ProcessSpec spec) {
    ProcessResult result = RUNNER.run(spec);
    assertThat(result.succeeded()).as("%s: %s", spec.argv(), result.stderr().text()).isTrue();
    return result;
  }
}
