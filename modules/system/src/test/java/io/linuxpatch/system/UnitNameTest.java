package io.linuxpatch.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which service names may reach an argv. */
class UnitNameTest {

  @ParameterizedTest
  @ValueSource(strings = {"ssh", "ssh.service", "getty@tty1.service", "systemd-journald", "dev-sda1.device",
      "user_runtime:1000", "A1"})
  @DisplayName("Ordinary unit names, templates and instance names are accepted")
  void valid(String name) {
    assertThat(UnitName.isValid(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-H", "--root=/tmp", ".hidden", "@x", "a b", "a/b", "../etc/passwd", "x;reboot",
      "x$(id)", "x\ny", "ünïcode", "*"})
  @DisplayName("Options, paths, spaces, shell characters and globs are rejected")
  void invalid(String name) {
    assertThat(UnitName.isValid(name)).isFalse();
  }

  @org.junit.jupiter.api.Test
  @DisplayName("256 characters are accepted, 257 are not, null is not")
  void length() {
    assertThat(UnitName.isValid("a".repeat(256))).isTrue();
    assertThat(UnitName.isValid("a".repeat(257))).isFalse();
    assertThat(UnitName.isValid(null)).isFalse();
  }
}
