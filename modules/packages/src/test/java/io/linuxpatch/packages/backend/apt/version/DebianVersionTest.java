package io.linuxpatch.packages.backend.apt.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("A Debian version is split into epoch, upstream and revision and ordered like dpkg")
class DebianVersionTest {

  @Test
  @DisplayName("parsing splits at the first colon and the last hyphen")
  void splitsParts() {
    assertThat(DebianVersion.parse("2:1.2-3-4ubuntu1")).isEqualTo(new DebianVersion(2, "1.2-3", "4ubuntu1"));
    assertThat(DebianVersion.parse("1.0")).isEqualTo(new DebianVersion(0, "1.0", ""));
    assertThat(DebianVersion.parse(" 1:2.0:3-1 ")).isEqualTo(new DebianVersion(1, "2.0:3", "1"));
  }

  @ParameterizedTest(name = "{0} prints as {1}")
  @CsvSource({"1.0, 1.0", "0:1.0, 1.0", "3:1.0-1, 3:1.0-1", "0:1:2, 0:1:2", "1.0+deb12u1-1, 1.0+deb12u1-1"})
  @DisplayName("a version prints as dpkg prints it, the zero epoch only when a colon needs it")
  void printsLikeDpkg(String text, String printed) {
    assertThat(DebianVersion.parse(text)).hasToString(printed);
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @ValueSource(strings = {"", "  ", ":1.0", "a:1.0", "1:", "1.0-", "-1", "1 .0", "99999999999:1"})
  @DisplayName("what dpkg refuses to parse is refused with a reason")
  void refusesWhatDpkgRefuses(String text) {
    assertThatIllegalArgumentException().isThrownBy(() -> DebianVersion.parse(text)).withMessageMatching(".*(empty|epoch|colon|spaces|revision|version).*");
    assertThat(DebianVersion.tryParse(text)).isEmpty();
  }

  @ParameterizedTest(name = "{0} < {1}")
  @CsvSource({
      "1.0~rc1, 1.0",
      "1.0~~, 1.0~",
      "1.0~, 1.0",
      "1.0, 1.0a",
      "1.0a, 1.0+",
      "1.0, 1.0.1",
      "9.9, 1:0.1",
      "1.0-1, 1.0+deb12u1-1",
      "1.0+deb12u1-1, 1.0.1-1",
      "1.2, 1.10",
      "1.0-1, 1.0-1.1",
      "1.0-1~bpo1, 1.0-1",
      "2.36-9+deb12u3, 2.36-9+deb12u10",
      "1.0-9, 1.0-10",
      "0.99999999999999999999999, 1.00000000000000000000000000001",
      "1:1.0, 2:0",
      "A, a",
      "1.0a, 1.0b",
  })
  @DisplayName("hand-picked orderings hold in both directions")
  void ordersEdgeCases(String lower, String higher) {
    DebianVersion a = DebianVersion.parse(lower);
    DebianVersion b = DebianVersion.parse(higher);
    assertThat(a).isLessThan(b);
    assertThat(b).isGreaterThan(a);
    assertThat(b.isNewerThan(a)).isTrue();
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({"1.0, 1.0-0", "01, 1", "0:1.0, 1.0", "1.00, 1.0", "1.0-00, 1.0"})
  @DisplayName("texts dpkg considers the same version compare as equal")
  void equalVersions(String left, String right) {
    assertThat(DebianVersion.parse(left).compareTo(DebianVersion.parse(right))).isZero();
  }
}
