package io.linuxpatch.packages.backend.dnf.version;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.dnf.DnfTools;
import io.linuxpatch.packages.backend.dnf.HostRpmStateGuard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(HostRpmStateGuard.class)
@DisplayName("RpmVersion orders generated versions exactly like rpm.vercmp of the real rpm")
class RpmVersionRpmParityTest {

  private static final int PAIRS = 600;

  @Test
  @DisplayName("600 generated pairs (epochs, releases, ~, ^, letters, separators) agree with one rpm --eval")
  void agreesWithRpm(@TempDir Path home) {
    DnfTools.assumeRpm();
    Random random = new Random(20261203);
    List<String[]> pairs = new ArrayList<>();
    while (pairs.size() < PAIRS) {
      String a = version(random);
      pairs.add(new String[] {a, random.nextInt(3) == 0 ? version(random) : mutate(a, random)});
    }

    List<Integer> verdicts = RpmVercmpOracle.verdicts(pairs, home);

    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      int ours = Integer.signum(RpmVersion.ORDER.compare(pairs.get(i)[0], pairs.get(i)[1]));
      if (ours != verdicts.get(i)) {
        disagreements.add(pairs.get(i)[0] + " vs " + pairs.get(i)[1] + ": ours " + ours + ", rpm " + verdicts.get(i));
      }
    }
    assertThat(disagreements).isEmpty();
    assertThat(verdicts).contains(-1, 0, 1);
  }

  /** A version from a small alphabet, so that equal and nearly equal segments are common. */
  private static String version(Random random) {
    StringBuilder text = new StringBuilder();
    if (random.nextInt(4) == 0) {
      text.append(random.nextInt(4) == 0 ? "" : Integer.toString(random.nextInt(3))).append(':');
    }
    String alphabet = "00123999..~~^^+_abzAZ";
    int length = 1 + random.nextInt(8);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    if (random.nextBoolean()) {
      text.append('-');
      String releaseAlphabet = "0019..~^ab_";
      int releaseLength = random.nextInt(5);
      for (int i = 0; i < releaseLength; i++) {
        text.append(releaseAlphabet.charAt(random.nextInt(releaseAlphabet.length())));
      }
    }
    return text.toString();
  }

  /** A close relative: one character appended, dropped or replaced, zero padding, or an epoch added. */
  private static String mutate(String version, Random random) {
    String candidate = switch (random.nextInt(6)) {
      case 0 -> version + "0~.a^1-".charAt(random.nextInt(7));
      case 1 -> version.length() > 1 ? version.substring(0, version.length() - 1) : version;
      case 2 -> version.replaceFirst("(\\d+)", "0$1");
      case 3 -> {
        int at = random.nextInt(version.length());
        char c = version.charAt(at);
        char replacement = Character.isDigit(c) ? (char) ('0' + random.nextInt(10)) : c == '~' ? '^' : c == '^' ? '.' : c;
        yield version.substring(0, at) + replacement + version.substring(at + 1);
      }
      case 4 -> "0:" + version;
      default -> version;
    };
    return candidate.isEmpty() ? "0" : candidate;
  }
}
