package io.linuxpatch.packages.backend.apt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.contract.config.PackageManagerConfig;
import io.linuxpatch.packages.backend.apt.sandbox.DebBuilder;
import io.linuxpatch.packages.backend.apt.sandbox.DebPackage;
import io.linuxpatch.packages.backend.apt.sandbox.HostPackageDatabaseGuard;
import io.linuxpatch.packages.backend.apt.sandbox.LocalRepository;
import io.linuxpatch.packages.backend.apt.sandbox.RepositorySuite;
import io.linuxpatch.packages.backend.apt.sandbox.SandboxRoot;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phased updates on a real sandbox (SPEC "Unattended safety"): {@code phased-demo} 1.1 is published with
 * {@code Phased-Update-Percentage: 0}, {@code other-demo} 1.1 normally, both over installed 1.0. The agent's
 * patches (the real {@link AptBackend}) must say what the real {@code apt-get} would do.
 *
 * <p>Found on apt 2.6.1: apt reads the machine id from {@code APT::Machine-ID} or else from
 * {@code Dir::Etc/../machine-id}, below the configured root; with neither it applies no phasing at all (it
 * also skips phasing in a chroot, as {@code ischroot -t} says, and when {@code SOURCE_DATE_EPOCH} is set,
 * which the process runner never passes on). So a host with {@code /etc/machine-id} phases with no option
 * from the agent, and the sandbox phases once it has its own {@code etc/machine-id}.
 */
@ExtendWith(HostPackageDatabaseGuard.class)
@DisplayName("Phased updates apt would hold back are not patches; without a machine id apt holds none back")
class AptPhasedUpdatesSandboxTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();
  /** A fixed id keeps apt's lottery repeatable; at 0 % it holds the update back for 100 of 101 ids. */
  private static final String MACHINE_ID = "3d1219c7c4c5404aaa1f6d2a48adfda4";

  @TempDir
  static Path dir;
  static SandboxRoot sandbox;
  static LocalRepository repository;

  @BeforeAll
  static void installBothAtOnePointZero() {
    assumeTrue(Files.isExecutable(DebBuilder.DPKG_DEB), "dpkg-deb not installed");
    assumeTrue(Files.isExecutable(SandboxRoot.APT_GET), "apt-get not installed");
    sandbox = SandboxRoot.at(dir.resolve("root"), RUNNER).create();
    repository = LocalRepository.create(dir.resolve("repo"), "Demo", "Demo",
        List.of(new RepositorySuite("stable", "demo", "1.0")), RUNNER);
    repository.add("stable", DebPackage.of("phased-demo", "1.0", "phased demo"));
    repository.add("stable", DebPackage.of("other-demo", "1.0", "other demo"));
    repository.add("stable", DebPackage.of("phased-demo", "1.1", "phased demo"),
        Map.of("Phased-Update-Percentage", "0"));
    repository.add("stable", DebPackage.of("other-demo", "1.1", "other demo"));
    repository.writeIndices();
    sandbox.useRepository(repository).aptUpdate();
    sandbox.install("phased-demo=1.0", "other-demo=1.0");
  }

  @Test
  @DisplayName("with a machine id, apt keeps phased-demo 1.1 back and the agent offers only other-demo 1.1")
  void phasedUpdateIsNotAPatch() throws Exception {
    sandbox.machineId(MACHINE_ID);

    String apt = aptSimulation("dist-upgrade");
    List<String> patches = patchIds();

    assertThat(Files.readString(repository.packagesFile("stable"))).contains("Phased-Update-Percentage: 0\n");
    assertThat(aptPolicy("phased-demo")).contains("1.1 500 (phased 0%)");
    assertThat(installed(apt)).containsExactly("other-demo");
    assertThat(apt).contains("The following packages have been kept back:\n  phased-demo\n");
    assertThat(patches).containsExactly("other-demo/1.1");
  }

  @Test
  @DisplayName("without a machine id apt installs the phased update too, and the agent reports what apt would do")
  void withoutMachineIdAptDoesNotPhase() throws Exception {
    sandbox.machineId(null);

    String apt = aptSimulation("dist-upgrade");
    List<String> patches = patchIds();

    assertThat(installed(apt)).containsExactlyInAnyOrder("other-demo", "phased-demo");
    assertThat(patches).containsExactlyInAnyOrder("other-demo/1.1", "phased-demo/1.1");
  }

  /** A fresh backend each time: the patches are cached per inventory, which the machine id is not part of. */
  private static List<String> patchIds() throws Exception {
    PackageManagerConfig config = new PackageManagerConfig("apt", sandbox.root().toString(),
        sandbox.aptEnvironment(), sandbox.dpkgOptions());
    return new AptBackend(config, null, RUNNER).patches().stream().map(p -> p.getString("id")).toList();
  }

  /** Plain {@code apt-get -s}, without the agent's options: what apt itself would do on this root. */
  private static String aptSimulation(String command) {
    return run(List.of(SandboxRoot.APT_GET.toString(), "-s", "-o", "Debug::NoLocking=1", command));
  }

  private static String aptPolicy(String name) {
    return run(List.of("/usr/bin/apt-cache", "policy", "--", name));
  }

  private static String run(List<String> argv) {
    ProcessResult result = RUNNER.run(ProcessSpec.of(argv).withExtraEnv(sandbox.aptEnvironment()));
    assertThat(result.exitCode()).as("%s: %s", argv, result.stderr().text()).isZero();
    return result.stdout().text();
  }

  private static List<String> installed(String simulation) {
    return simulation.lines().filter(l -> l.startsWith("Inst ")).map(l -> l.split(" ")[1]).toList();
  }
}
