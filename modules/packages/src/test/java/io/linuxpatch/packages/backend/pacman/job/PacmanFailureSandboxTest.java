package io.linuxpatch.packages.backend.pacman.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.packages.backend.pacman.HostPacmanStateGuard;
import io.linuxpatch.packages.backend.pacman.PacmanAssumptions;
import io.linuxpatch.packages.backend.pacman.sandbox.PackageFile;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanDemoPackages;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanPackageBuilder;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanPackageSpec;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanSandbox;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Each failure provoked on real pacman (a demo sandbox and variants of its pacman.conf), then classified. */
@ExtendWith(HostPacmanStateGuard.class)
class PacmanFailureSandboxTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();

  @TempDir
  static Path dir;
  static PacmanSandbox sandbox;

  @BeforeAll
  static void createSandbox() {
    PacmanAssumptions.assumeSandboxPossible();
    sandbox = PacmanSandbox.createDemo(dir.resolve("pacman"), RUNNER);
  }

  @Test
  @DisplayName("target not found → PKG_NOT_FOUND")
  void targetNotFound() {
    expect(sandbox.pacman("--noconfirm", "-S", "--", "demo-nosuch"), 1, "error: target not found: demo-nosuch",
        JobError.PKG_NOT_FOUND);
  }

  @Test
  @DisplayName("a conflict under --noconfirm, and a removal that breaks a dependency → DEPENDENCY_CONFLICT")
  void dependencyConflicts() {
    expect(sandbox.pacman("--noconfirm", "-S", "--", "demo-modern"), 1,
        "error: failed to prepare transaction (conflicting dependencies)", JobError.DEPENDENCY_CONFLICT);
    sandbox.install("demo-app");
    expect(sandbox.pacman("--noconfirm", "-R", "--", "demo-lib"), 1,
        ":: removing demo-lib breaks dependency 'demo-lib>=2.0' required by demo-app", JobError.DEPENDENCY_CONFLICT);
  }

  @Test
  @DisplayName("a failing post_install: exit 0, yet MAINTAINER_SCRIPT_FAILED")
  void failingScriptlet() {
    sandbox.publish(List.of(PacmanDemoPackages.failingScriptlet("demo-broken", "1.0-1")));
    expect(sandbox.pacman("--noconfirm", "-S", "--", "demo-broken"), 0, "error: command failed to execute correctly",
        JobError.MAINTAINER_SCRIPT_FAILED);
  }

  @Test
  @DisplayName("db.lck present → PKG_MANAGER_LOCKED")
  void locked() throws Exception {
    Files.createFile(sandbox.lockFile());
    try {
      expect(sandbox.pacman("--noconfirm", "-S", "--", "demo-lib"), 1,
          "error: failed to init transaction (unable to lock database)", JobError.PKG_MANAGER_LOCKED);
    } finally {
      Files.delete(sandbox.lockFile());
    }
  }

  @Test
  @DisplayName("not root → PERMISSION_DENIED")
  void notRoot() {
    List<String> argv = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
        PacmanSandbox.PACMAN.toString()));
    argv.addAll(sandbox.pacmanOptions());
    argv.addAll(List.of("--noconfirm", "-S", "--", "demo-lib"));
    ProcessResult result = RUNNER.run(ProcessSpec.of(argv));
    // the sandbox sits below a 0700 directory, so pacman cannot even read its configuration as nobody
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr().text()).containsAnyOf("you cannot perform this operation unless you are root",
        "Permission denied");
    assertThat(PacmanFailure.classify(result.exitCode(), result.stdout().text() + result.stderr().text()))
        .isEqualTo(JobError.PERMISSION_DENIED);
  }

  @Test
  @DisplayName("a package file that is gone (rollback), truncated, or fails its checksum → PKG_VERSION_NOT_FOUND, GPG_ERROR")
  void badPackageFiles() throws Exception {
    Path gone = sandbox.cacheDirectory().resolve("demo-tool-0.1-1-any.pkg.tar.zst");
    expect(sandbox.pacman("--noconfirm", "-U", "--", gone.toString()), 1, "could not find or read package",
        JobError.PKG_VERSION_NOT_FOUND);

    byte[] whole = Files.readAllBytes(sandbox.cacheDirectory().resolve("demo-base-1.0-1-any.pkg.tar.zst"));
    Path truncated = Files.write(dir.resolve("demo-cut-1.0-1-any.pkg.tar.zst"), java.util.Arrays.copyOf(whole, 300));
    expect(sandbox.pacman("--noconfirm", "-U", "--", truncated.toString()), 1, "cannot open package file",
        JobError.GPG_ERROR);

    sandbox.publish(List.of(PacmanPackageSpec.of("demo-corrupt", "1.0-1", "damaged on the mirror after publishing")));
    Path onMirror = sandbox.repository().directory().resolve("demo-corrupt-1.0-1-any.pkg.tar.zst");
    byte[] damaged = Files.readAllBytes(onMirror);
    damaged[damaged.length / 2] ^= 0x55; // same size (a larger file is refused as "expected download size exceeded")
    Files.write(onMirror, damaged);
    expect(sandbox.pacman("--noconfirm", "-S", "--", "demo-corrupt"), 1,
        "error: failed to commit transaction (invalid or corrupted package (checksum))", JobError.GPG_ERROR);
  }

  @Test
  @DisplayName("signatures required but absent → GPG_ERROR")
  void missingSignature() throws Exception {
    Path config = variant("signed.conf", "SigLevel = Never\n", "SigLevel = Required DatabaseOptional\n");
    expect(pacman(config, "--noconfirm", "-S", "--", "demo-lib"), 1,
        "error: failed retrieving file 'demo-lib-2.0-1-any.pkg.tar.zst.sig'", JobError.GPG_ERROR);
  }

  @Test
  @DisplayName("a server that refuses the connection → NETWORK_ERROR")
  void unreachableServer() throws Exception {
    sandbox.publish(List.of(PacmanPackageSpec.of("demo-remote", "1.0-1", "not in the cache yet")));
    Path config = variant("offline.conf", "Server = " + sandbox.repository().serverUrl() + "\n",
        "Server = http://127.0.0.1:9/repo\n");
    expect(pacman(config, "--noconfirm", "-S", "--", "demo-remote"), 1, "Couldn't connect to server",
        JobError.NETWORK_ERROR);
  }

  @Test
  @DisplayName("a full disk, with CheckSpace and without → DISK_FULL, and without CheckSpace pacman records it installed anyway")
  void diskFull() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "unshare is not installed (util-linux)");
    byte[] noise = new byte[3_000_000];
    new Random(7).nextBytes(noise); // incompressible: 3 MB in a 1 MB tmpfs
    Path big = new PacmanPackageBuilder(dir.resolve("build"), RUNNER).build(
        PacmanPackageSpec.of("demo-big", "1.0-1", "three megabytes").withFile(
            PackageFile.bytes("usr/share/demo-big/blob", noise, 0644)), dir.resolve("big"));
    Path mountPoint = Files.createDirectories(sandbox.root().resolve("usr/share/demo-big"));
    Path withoutCheck = variant("nocheck.conf", "CheckSpace\n", "");

    expect(inSmallTmpfs(mountPoint, sandbox.configFile(), big), 1, "error: not enough free disk space",
        JobError.DISK_FULL);
    expect(inSmallTmpfs(mountPoint, withoutCheck, big), 1, "(Write failed)", JobError.DISK_FULL);
    assertThat(sandbox.pacman("-Q", "demo-big").stdout().lines()).as("pacman's own bookkeeping after the failure")
        .containsExactly("demo-big 1.0-1");
  }

  /** pacman -U inside a private mount namespace where the package's directory is a 1 MB tmpfs. */
  private static ProcessResult inSmallTmpfs(Path mountPoint, Path config, Path packageFile) {
    // a fixed script of the test's own; the private namespace keeps the mount away from the host
    String script = "mount -t tmpfs -o size=1m tmpfs \"$1\" && exec " + PacmanSandbox.PACMAN
        + " --config \"$2\" --noconfirm -U -- \"$3\"";
    return RUNNER.run(ProcessSpec.of("/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c", script,
        "sh", mountPoint.toString(), config.toString(), packageFile.toString()));
  }

  private static Path variant(String name, String from, String to) throws Exception {
    String text = Files.readString(sandbox.configFile());
    assertThat(text).contains(from);
    return Files.writeString(dir.resolve(name), text.replace(from, to));
  }

  private static ProcessResult pacman(Path config, String... args) {
    List<String> argv = new ArrayList<>(List.of(PacmanSandbox.PACMAN.toString(), "--config", config.toString()));
    argv.addAll(List.of(args));
    return RUNNER.run(ProcessSpec.of(argv));
  }

  private static void expect(ProcessResult result, int exitCode, String text, JobError error) {
    String output = result.stdout().text() + result.stderr().text();
    assertThat(result.exitCode()).as(output).isEqualTo(exitCode);
    assertThat(output).contains(text);
    assertThat(PacmanFailure.classify(result.exitCode(), output)).as(output).isEqualTo(error);
  }
}
