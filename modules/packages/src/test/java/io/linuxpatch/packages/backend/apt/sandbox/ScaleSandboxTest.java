package io.linuxpatch.packages.backend.apt.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The real-scale sandbox is deterministic and real apt finds it consistent")
class ScaleSandboxTest {

  private static final ScaleSandbox.Size SMALL = new ScaleSandbox.Size(3_000, 120, 5, 7);
  private final ProcessRunner runner = ProcessRunner.create();

  @Test
  @DisplayName("the same size and seed give the same lists and status file, byte for byte; another seed does not")
  void deterministic(@TempDir Path dir) throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-cache")), "apt-cache is needed (Debian/Ubuntu)");
    SandboxRoot first = ScaleSandbox.create(dir.resolve("a"), SMALL, 7, runner);
    SandboxRoot second = ScaleSandbox.create(dir.resolve("b"), SMALL, 7, runner);
    SandboxRoot other = ScaleSandbox.create(dir.resolve("c"), SMALL, 8, runner);

    assertThat(lists(second)).isEqualTo(lists(first)).hasSize(9);
    for (String name : lists(first)) {
      assertThat(Files.readAllBytes(listsDir(second).resolve(name))).as(name)
          .isEqualTo(Files.readAllBytes(listsDir(first).resolve(name)));
    }
    assertThat(Files.readAllBytes(second.statusFile())).isEqualTo(Files.readAllBytes(first.statusFile()));
    assertThat(Files.readAllBytes(other.statusFile())).isNotEqualTo(Files.readAllBytes(first.statusFile()));
  }

  @Test
  @DisplayName("apt sees every installed dependency met and plans exactly the generated updates, the security ones from noble-security")
  void aptPlansTheUpdates(@TempDir Path dir) {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-get")), "apt-get is needed (Debian/Ubuntu)");
    SandboxRoot sandbox = ScaleSandbox.create(dir, SMALL, 7, runner);

    assertThat(apt(sandbox, "-s", "check").exitCode()).isZero();
    List<String> upgrades = apt(sandbox, "-s", "-q", "dist-upgrade").stdout().lines().stream()
        .filter(l -> l.startsWith("Inst ")).toList();
    assertThat(upgrades).hasSize(12);
    assertThat(upgrades).filteredOn(l -> l.contains("/noble-security ")).hasSize(7);
    assertThat(upgrades).allMatch(l -> l.contains("+sec1") || l.contains("+upd1"));
  }

  private ProcessResult apt(SandboxRoot sandbox, String... args) {
    List<String> argv = new ArrayList<>(List.of("/usr/bin/apt-get"));
    argv.addAll(List.of(args));
    ProcessResult result = runner.run(ProcessSpec.of(argv).withExtraEnv(sandbox.aptEnvironment()));
    assertThat(result.exitCode()).as(result.stderr().text()).isZero();
    return result;
  }

  private static Path listsDir(SandboxRoot sandbox) {
    return sandbox.root().resolve("var/lib/apt/lists");
  }

  private static List<String> lists(SandboxRoot sandbox) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(listsDir(sandbox), "archive.scale.invalid_*")) {
      files.forEach(f -> names.add(f.getFileName().toString()));
    }
    names.sort(null);
    return names;
  }
}
