package io.linuxpatch.packages.backend.dnf.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linuxpatch.packages.backend.dnf.DnfTools;
import io.linuxpatch.packages.backend.dnf.HostRpmStateGuard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** rpm's version order on hand-picked pairs, each also checked against the real rpm. */
@ExtendWith(HostRpmStateGuard.class)
class RpmVersionTest {

  /** a | b | rpm.vercmp(a, b) as rpm 4.18 prints it. */
  private static final String TABLE = """
      1.0 | 1.0 | 0
      1.0 | 1.1 | -1
      1.10 | 1.9 | 1
      1.0 | 1.0.0 | -1
      1.0a | 1.0 | 1
      1.0a | 1.0.1 | -1
      1.0 | 1.00 | 0
      01 | 1 | 0
      1..0 | 1.0 | 0
      1.0. | 1.0 | 0
      1.0~rc1 | 1.0 | -1
      1.0~rc1 | 1.0~rc2 | -1
      1.0~~ | 1.0~ | -1
      1.0~rc1 | 1.0~ | 1
      1.0^ | 1.0 | 1
      1.0^git1 | 1.0 | 1
      1.0^git1 | 1.0.1 | -1
      1.0^git1 | 1.0~rc1 | 1
      1.0^git1 | 1.0^git2 | -1
      a | 1 | -1
      abc | abd | -1
      B | a | -1
      6.1.0-1 | 6.1.10-1 | -1
      1:1.0 | 2.0 | 1
      0:1.0 | 1.0 | 0
      :1.0 | 1.0 | 0
      a:1.0 | 1.0 | -1
      1.0-1 | 1.0 | 1
      1.0 | 1.0-2 | -1
      1.0-1 | 1.0-1.el9 | -1
      1.0-1.el9 | 1.0-1.el9_3 | -1
      1.0-1-2 | 1.0-1 | 1
      10:1 | 9:2 | 1
      00010:1 | 10:1 | 0
      99999999999999999999999 | 100000000000000000000000 | -1
      2.36-9 | 2.36-10 | -1
      1.0+ | 1.0 | 0
      1_0 | 1.0 | 0
      1.0é | 1.0 | 0
      """;

  @ParameterizedTest(name = "rpm.vercmp({0}, {1}) = {2}")
  @CsvSource(delimiter = '|', textBlock = TABLE)
  @DisplayName("hand-picked pairs compare as rpm 4.18 says, in both directions")
  void handPicked(String a, String b, int expected) {
    assertThat(signum(RpmVersion.parse(a).compareTo(RpmVersion.parse(b)))).isEqualTo(expected);
    assertThat(signum(RpmVersion.parse(b).compareTo(RpmVersion.parse(a)))).isEqualTo(-expected);
    assertThat(signum(RpmVersion.ORDER.compare(a, b))).isEqualTo(expected);
  }

  @Test
  @DisplayName("the hand-picked table is what the real rpm says (one rpm --eval for all rows)")
  void tableAgreesWithRpm(@TempDir Path home) {
    DnfTools.assumeRpm();
    List<String[]> pairs = new ArrayList<>();
    List<Integer> expected = new ArrayList<>();
    for (String row : TABLE.strip().split("\n")) {
      String[] cells = row.split("\\|");
      pairs.add(new String[] {cells[0].strip(), cells[1].strip()});
      expected.add(Integer.parseInt(cells[2].strip()));
    }
    assertThat(RpmVercmpOracle.verdicts(pairs, home)).isEqualTo(expected);
  }

  @Test
  @DisplayName("[epoch:]version[-release] splits like rpm's parseEVR and prints back unchanged")
  void parsing() {
    assertThat(RpmVersion.parse("2:1.1-1")).isEqualTo(new RpmVersion("2", "1.1", "1"));
    assertThat(RpmVersion.parse("1.0")).isEqualTo(new RpmVersion(null, "1.0", null));
    assertThat(RpmVersion.parse(":1.0")).isEqualTo(new RpmVersion("0", "1.0", null));
    assertThat(RpmVersion.parse("a:1.0-2")).isEqualTo(new RpmVersion(null, "a:1.0", "2"));
    assertThat(RpmVersion.parse("1.0.0.20260101git0123-1.el9_3.fc40"))
        .isEqualTo(new RpmVersion(null, "1.0.0.20260101git0123", "1.el9_3.fc40"));
    assertThat(RpmVersion.parse("5.2-3-4")).isEqualTo(new RpmVersion(null, "5.2-3", "4"));
    Stream.of("2:1.1-1", "1.0", "1.0-1", "0:1.0-1", "a:b-c").forEach(text ->
        assertThat(RpmVersion.parse(text).toString()).isEqualTo(text));
    assertThat(RpmVersion.parse("0:1.0-1").dnfForm()).isEqualTo("1.0-1");
    assertThat(RpmVersion.parse("2:1.1-1").dnfForm()).isEqualTo("2:1.1-1");
    assertThat(RpmVersion.of(3, "1.0", "1").toString()).isEqualTo("3:1.0-1");
    assertThat(RpmVersion.of(null, "1.0", "1").epochNumber()).isZero();
    assertThat(RpmVersion.parse("2:1.1-1").isNewerThan(RpmVersion.parse("1.9-1"))).isTrue();
  }

  @Test
  @DisplayName("an empty or null version is refused, as rpmverParse refuses it")
  void refusesEmpty() {
    assertThatThrownBy(() -> RpmVersion.parse("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RpmVersion.parse(null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(RpmVersion.tryParse("")).isEmpty();
    assertThatThrownBy(() -> new RpmVersion("1a", "1", null)).isInstanceOf(IllegalArgumentException.class);
  }

  private static int signum(int order) {
    return Integer.signum(order);
  }
}
