package io.linuxpatch.contract.packages;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("SEC-9")
@DisplayName("Versions are accepted only in the SEC-9 form and must start with a digit or a letter")
class PackageVersionTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1.2-3+deb12u1", "2:9.0.1378-2", "1.0~rc1", "6.1.0-18", "r1_2", "a", "1.2.3-1ubuntu0.22.04.1"})
  @DisplayName("Debian, rpm and pacman versions are accepted unchanged")
  void accepts(String version) {
    assertThat(PackageVersion.validate(version)).isEqualTo(new Validation.Valid(version));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      -1.0             | leading-character
      ~1               | leading-character
      .1               | leading-character
      :1               | leading-character
      1.0 --force      | pattern
      1.0/stable       | pattern
      1.0=2            | pattern
      1.0*             | pattern
      1,0              | pattern
      9.1-1-           | trailing-operator
      9.1-1+           | trailing-operator
      """)
  @DisplayName("Versions that could be an option or an operator are refused, naming the rule")
  void rejects(String version, String rule) {
    Validation v = PackageVersion.validate(version);
    assertThat(v).isInstanceOf(Validation.Invalid.class);
    assertThat(((Validation.Invalid) v).rule()).isEqualTo(rule);
    assertThat(((Validation.Invalid) v).field()).isEqualTo("version");
  }

  @Test
  @DisplayName("Null, empty, NUL and over-long versions are refused")
  void edges() {
    assertThat(PackageVersion.validate(null).isValid()).isFalse();
    assertThat(PackageVersion.validate("").isValid()).isFalse();
    assertThat(PackageVersion.validate("1\0").isValid()).isFalse();
    assertThat(PackageVersion.validate("1".repeat(256)).isValid()).isTrue();
    assertThat(((Validation.Invalid) PackageVersion.validate("1".repeat(257))).rule()).isEqualTo("too-long");
  }

  @Test
  @DisplayName("Severities order from unknown to critical so that the highest one wins")
  void severityOrder() {
    assertThat(Severity.UNKNOWN.max(Severity.LOW)).isEqualTo(Severity.LOW);
    assertThat(Severity.HIGH.max(Severity.MEDIUM)).isEqualTo(Severity.HIGH);
    assertThat(Severity.CRITICAL.json()).isEqualTo("critical");
  }
}
