package io.linuxpatch.packages.backend.pacman;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.packages.Backend;
import io.linuxpatch.contract.packages.PackageName;
import io.linuxpatch.contract.packages.Validation;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanSandbox;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SEC-9 for pacman: what pacman itself reads into a target even after {@code --} ({@code repo/name},
 * {@code name>=version}) is refused by the contract's pacman grammar, and {@code --} stops option injection.
 */
@Tag("SEC-9")
@ExtendWith(HostPacmanStateGuard.class)
class PacmanNameRulesTest {

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"demo/demo-app", "demo-lib>=1", "demo-lib<2", "-Syu", "demo-*", "demo-", "demo lib"})
  @DisplayName("Targets pacman would read as a repository, a version constraint, an option or a glob are refused")
  void refused(String name) {
    assertThat(PackageName.validate(name, Backend.PACMAN, n -> false)).isInstanceOf(Validation.Invalid.class);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"demo-app", "lib32-openssl", "python-pyqt5", "xf86-video-intel", "R", "perl_lib", "gtk2"})
  @DisplayName("Arch package names pass")
  void accepted(String name) {
    assertThat(PackageName.validate(name, Backend.PACMAN, n -> false)).isInstanceOf(Validation.Valid.class);
  }

  @Test
  @DisplayName("Real pacman: after --, '-Syu' is a target that is not found; 'demo/demo-app' and 'demo-lib>=1' resolve (hence refused above)")
  void whatPacmanReads() {
    PacmanAssumptions.assumeSandboxPossible();
    PacmanSandbox sandbox = PacmanSandbox.createDemo(dir.resolve("pacman"), ProcessRunner.create());

    ProcessResult option = sandbox.pacman("-S", "--print", "--", "-Syu");
    assertThat(option.exitCode()).isEqualTo(1);
    assertThat(option.stderr().text()).contains("error: target not found: -Syu");
    assertThat(sandbox.pacman("-S", "--print", "--", "demo/demo-app").exitCode()).isZero();
    assertThat(sandbox.pacman("-S", "--print", "--", "demo-lib>=1").exitCode()).isZero();
  }
}
