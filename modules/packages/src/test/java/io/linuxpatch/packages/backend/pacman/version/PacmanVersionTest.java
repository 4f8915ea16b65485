package io.linuxpatch.packages.backend.pacman.version;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** pacman's version order on hand-picked pairs: the table of pacman's own vercmp test plus the edge cases. */
class PacmanVersionTest {

  @ParameterizedTest(name = "vercmp {0} {1} = {2}")
  @DisplayName("Orders each pair as pacman 6.0's vercmp does (its own test table and further edges)")
  @CsvSource(delimiter = ' ', value = {
      // pacman's test/util/vercmptest.sh
      "1.5.0 1.5.0 0", "1.5.1 1.5.0 1", "1.5.1 1.5 1", "1.5.0-1 1.5.0-1 0", "1.5.0-1 1.5.0-2 -1",
      "1.5.0-1 1.5.1-1 -1", "1.5.0-2 1.5.1-1 -1", "1.5-2 1.5.1-2 -1",
      "1.5 1.5-1 0", "1.5-1 1.5 0", "1.1-1 1.1 0", "1.0-1 1.1 -1", "1.1-1 1.0 1",
      "1.5b-1 1.5-1 -1", "1.5b 1.5 -1", "1.5b-1 1.5 -1", "1.5b 1.5.1 -1",
      "1.0a 1.0alpha -1", "1.0alpha 1.0b -1", "1.0b 1.0beta -1", "1.0beta 1.0rc -1", "1.0rc 1.0 -1",
      "1.5.a 1.5 1", "1.5.b 1.5.a 1", "1.5.1 1.5.b 1", "1.5.b-1 1.5.b 0", "1.5-1 1.5.b -1",
      "2.0 2_0 0", "2.0_a 2_0.a 0", "2.0a 2.0.a -1", "2___a 2_a 1",
      "0:1.0 0:1.0 0", "0:1.0 0:1.1 -1", "1:1.0 0:1.0 1", "1:1.0 0:1.1 1", "1:1.0 2:1.1 -1",
      "1:1.0 0:1.0-1 1", "1:1.0-1 0:1.1-1 1", "0:1.0 1.0 0", "0:1.0 1.1 -1", "0:1.1 1.0 1", "1:1.0 1.0 1",
      "1:1.0 1.1 1", "1:1.1 1.1 1",
      // pkgrel segments, leading zeros, long numbers, an empty epoch, separator runs
      "1.0-1 1.0-1.1 -1", "1.0-2 1.0-10 -1", "1.0-1.1 1.0-1.10 -1", "001 1 0", "1.01 1.1 0",
      "12345678901234567890 12345678901234567891 -1", ":1.0 1.0 0", "01:1.0 1:1.0 0", "1..0 1.0 1",
      "1.0. 1.0 1", "1.0 1.0. -1", "a b -1", "1 a 1", "1.0~rc1 1.0 1", "1.0+1 1.0.1 0", "2024.01.05-1 2024.1.5-2 -1"})
  void ordersLikeVercmp(String a, String b, int expected) {
    assertThat(Integer.signum(PacmanVersion.compare(a, b))).isEqualTo(expected);
    assertThat(Integer.signum(PacmanVersion.compare(b, a))).isEqualTo(-expected);
  }

  @Test
  @DisplayName("Splits epoch, pkgver and pkgrel as libalpm's parseEVR does")
  void splitsLikeParseEvr() {
    PacmanVersion full = PacmanVersion.parse("2:1.2.3-4.1");
    assertThat(full.epoch()).isEqualTo("2");
    assertThat(full.version()).isEqualTo("1.2.3");
    assertThat(full.release()).isEqualTo("4.1");

    PacmanVersion bare = PacmanVersion.parse("1.0");
    assertThat(bare.epoch()).isEqualTo("0");
    assertThat(bare.version()).isEqualTo("1.0");
    assertThat(bare.release()).isNull();

    // the release is split at the LAST '-'; an empty epoch is 0
    PacmanVersion dashes = PacmanVersion.parse(":1-2-3");
    assertThat(dashes.epoch()).isEqualTo("0");
    assertThat(dashes.version()).isEqualTo("1-2");
    assertThat(dashes.release()).isEqualTo("3");
  }

  @Test
  @DisplayName("A missing version is older than any version; the comparator sorts lists in pacman's order")
  void nullsAndSorting() {
    assertThat(PacmanVersion.compare(null, "0")).isNegative();
    assertThat(PacmanVersion.compare("0", null)).isPositive();
    assertThat(PacmanVersion.compare(null, null)).isZero();
    assertThat(java.util.stream.Stream.of("1.10-1", "1:0.1-1", "1.9-1", "1.9a-1").sorted(PacmanVersion.ORDER))
        .containsExactly("1.9a-1", "1.9-1", "1.10-1", "1:0.1-1");
    assertThat(PacmanVersion.parse("1.1-1").isNewerThan(PacmanVersion.parse("1.0-1"))).isTrue();
  }
}
