package io.linuxpatch.packages.backend.dnf.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.packages.backend.dnf.DnfTools;
import io.linuxpatch.packages.backend.dnf.HostRpmStateGuard;
import io.linuxpatch.packages.backend.dnf.sandbox.DnfDemoPackages;
import io.linuxpatch.packages.backend.dnf.sandbox.DnfSandbox;
import io.linuxpatch.packages.backend.dnf.sandbox.RpmSpec;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** JOB-3 classification of failures provoked live with real dnf on a sandbox. */
@Tag("JOB-3")
@ExtendWith(HostRpmStateGuard.class)
class DnfFailureSandboxTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();
  private static final Path UNSHARE = Path.of("/usr/bin/unshare");
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  @TempDir
  static Path dir;
  static DnfSandbox sandbox;

  @BeforeAll
  static void create() {
    DnfTools.assumeDnfSandboxTools();
    sandbox = DnfSandbox.create(dir, RUNNER);
    byte[] blob = new byte[2_000_000];
    new Random(7).nextBytes(blob);
    sandbox.addPackages(DnfDemoPackages.failingScriptlet("demo-failpost", RpmSpec.Scriptlet.POST),
        DnfDemoPackages.failingScriptlet("demo-failpre", RpmSpec.Scriptlet.PRE),
        RpmSpec.of("demo-big", "1.0", "1", "2 MB that do not compress")
            .withFile(new RpmSpec.RpmFile("/usr/share/demo-big/blob", blob, null, 0644)));
  }

  @Test
  @DisplayName("an unknown package, an unknown version and a conflict: PKG_NOT_FOUND, PKG_VERSION_NOT_FOUND, DEPENDENCY_CONFLICT")
  void resolutionFailures() {
    assertThat(classify(dnf("install", "--", "demo-nosuch"), Set.of())).isEqualTo(JobError.PKG_NOT_FOUND);
    assertThat(classify(dnf("install", "--", "demo-tool-9.9"), Set.of("demo-tool-9.9")))
        .isEqualTo(JobError.PKG_VERSION_NOT_FOUND);
    assertThat(classify(dnf("install", "--", "demo-modern"), Set.of())).isEqualTo(JobError.DEPENDENCY_CONFLICT);
  }

  @Test
  @DisplayName("a failing %post exits 0 with the package installed, still MAINTAINER_SCRIPT_FAILED; a failing %pre exits 1")
  void scriptlets() {
    ProcessResult post = dnf("install", "--", "demo-failpost");
    ProcessResult pre = dnf("install", "--", "demo-failpre");

    assertThat(post.exitCode()).isZero();
    assertThat(classify(post, Set.of())).isEqualTo(JobError.MAINTAINER_SCRIPT_FAILED);
    assertThat(DnfFailure.firstError(output(post))).isEqualTo("%post(demo-failpost-1.0-1.noarch) scriptlet failed, exit status 1");
    assertThat(pre.exitCode()).isEqualTo(1);
    assertThat(classify(pre, Set.of())).isEqualTo(JobError.MAINTAINER_SCRIPT_FAILED);
    assertThat(RUNNER.run(sandbox.rpm("-q", "demo-failpost", "demo-failpre")).stdout().lines())
        .containsExactly("demo-failpost-1.0-1.noarch", "package demo-failpre is not installed");
  }

  @Test
  @DisplayName("exit_on_lock=True while a real dnf holds the lock: exit 200, PKG_MANAGER_LOCKED")
  void lockHeld() throws Exception {
    try (LockHolder holder = LockHolder.start(sandbox, RUNNER, "demo-hold-failure")) {
      ProcessResult locked = dnf("--setopt=exit_on_lock=True", "install", "--", "demo-lib");

      assertThat(locked.exitCode()).isEqualTo(200);
      assertThat(classify(locked, Set.of())).isEqualTo(JobError.PKG_MANAGER_LOCKED);
      assertThat(DnfFailure.firstError(output(locked))).isEqualTo("RPMDB already locked by " + holder.pid());
      assertThat(holder.release().exitCode()).isZero();
    }
  }

  @Test
  @DisplayName("gpgcheck on for the unsigned demo repository: GPG_ERROR; an unreachable baseurl: NETWORK_ERROR")
  void gpgAndNetwork(@TempDir Path repos) throws Exception {
    Files.writeString(repos.resolve("unreachable.repo"),
        "[unreachable]\nname=unreachable\nbaseurl=http://127.0.0.1:9/repo\ngpgcheck=0\n");

    assertThat(classify(dnf("--setopt=" + DnfDemoPackages.REPOSITORY_ID + ".gpgcheck=1", "install", "--", "demo-lib"),
        Set.of())).isEqualTo(JobError.GPG_ERROR);
    ProcessResult network = RUNNER.run(sandbox.dnf("--setopt=reposdir=" + repos, "makecache"));
    assertThat(classify(network, Set.of())).as(output(network)).isEqualTo(JobError.NETWORK_ERROR);
  }

  @Test
  @DisplayName("dnf as nobody (in a mount namespace with a private /var/tmp): PERMISSION_DENIED, no host /var/tmp/dnf-*")
  void notRoot() throws Exception {
    assumeTrue(Files.isExecutable(UNSHARE) && Files.isExecutable(SETPRIV), "util-linux unshare and setpriv are needed");
    // JUnit makes the directory 0700: nobody could not even read dnf.conf ("Config file … does not exist")
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    String command = "mount -t tmpfs lpa-tmp /var/tmp && exec " + SETPRIV
        + " --reuid=65534 --regid=65534 --clear-groups " + quoted(sandbox.dnf("-C", "-y", "install", "--", "demo-lib").argv());
    ProcessResult result = RUNNER.run(ProcessSpec.of(UNSHARE.toString(), "-m", "/bin/sh", "-c", command)
        .withExtraEnv(sandbox.environment()));

    assertThat(result.exitCode()).as(output(result)).isEqualTo(1);
    assertThat(classify(result, Set.of())).as(output(result)).isEqualTo(JobError.PERMISSION_DENIED);
  }

  @Test
  @DisplayName("a 1 MiB tmpfs over the root's /usr/share (mount namespace) and a 2 MB package: DISK_FULL, nothing installed")
  void diskFull() {
    assumeTrue(Files.isExecutable(UNSHARE), "util-linux unshare is needed");
    String command = "mount -t tmpfs -o size=1m lpa-full " + sandbox.root().resolve("usr/share") + " && exec "
        + quoted(sandbox.dnf("-C", "-y", "install", "--", "demo-big").argv());
    ProcessResult result = RUNNER.run(ProcessSpec.of(UNSHARE.toString(), "-m", "/bin/sh", "-c", command)
        .withExtraEnv(sandbox.environment()));

    assertThat(classify(result, Set.of())).as(output(result)).isEqualTo(JobError.DISK_FULL);
    assertThat(RUNNER.run(sandbox.rpm("-q", "demo-big")).stdout().text()).contains("not installed");
  }

  private static JobError classify(ProcessResult result, Set<String> versioned) {
    return DnfFailure.classify(result.exitCode(), output(result), versioned);
  }

  private static ProcessResult dnf(String... args) {
    List<String> argv = new ArrayList<>(List.of("-C", "-y"));
    argv.addAll(List.of(args));
    return RUNNER.run(sandbox.dnf(argv));
  }

  private static String output(ProcessResult result) {
    return result.stdout().text() + result.stderr().text();
  }

  private static String quoted(List<String> argv) {
    return argv.stream().map(a -> "'" + a + "'").collect(Collectors.joining(" "));
  }
}
