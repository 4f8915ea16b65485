package io.linuxpatch.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Validation of what may be run: absolute programs, fixed environment, sane limits. */
class ProcessSpecTest {

  @Test
  @DisplayName("A program given by a bare or relative name is rejected, so PATH lookup never decides what runs")
  void relativeProgramRejected() {
    assertThatThrownBy(() -> ProcessSpec.of("apt-get", "update"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute path");
    assertThatThrownBy(() -> ProcessSpec.of("./bin/true"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProcessSpec.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("Extra variables cannot replace PATH, the locale or DEBIAN_FRONTEND, nor carry invalid names")
  void fixedVariablesCannotBeOverridden() {
    ProcessSpec spec = ProcessSpec.of("/bin/true");
    assertThatThrownBy(() -> spec.withExtraEnv(Map.of("PATH", "/tmp/evil")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PATH");
    assertThatThrownBy(() -> spec.withExtraEnv(Map.of("LC_ALL", "de_DE.UTF-8")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> spec.withExtraEnv(Map.of("A=B", "x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(spec.withExtraEnv(Map.of("APT_CONFIG", "/tmp/apt.conf")).environment())
        .containsEntry("APT_CONFIG", "/tmp/apt.conf")
        .containsEntry("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
  }

  @Test
  @DisplayName("Limits are validated: timeout positive, grace and output bounds not negative")
  void limitsValidated() {
    ProcessSpec spec = ProcessSpec.of("/bin/true");
    assertThatThrownBy(() -> spec.withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> spec.withKillGrace(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> spec.withOutputLimit(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(spec.killGrace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(spec.timeout()).isEqualTo(Duration.ofMinutes(30));
  }
}
