package io.linuxpatch.packages.backend.apt.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("DebianVersion orders generated versions exactly like dpkg --compare-versions")
class DebianVersionDpkgParityTest {

  private static final Path DPKG = Path.of("/usr/bin/dpkg");
  private static final int PAIRS = 2_000;
  /** dpkg forks cost ~2 ms each and need up to two per pair: spread them over a few shells. */
  private static final int SHELLS = 4;

  /**
   * Reads "A B" lines and prints <, = or > for each, using only dpkg's exit status. One shell per batch,
   * so the JVM starts {@value #SHELLS} processes, not thousands.
   */
  private static final String COMPARE_LOOP = "while read -r a b; do"
      + " if /usr/bin/dpkg --compare-versions \"$a\" lt \"$b\"; then echo '<';"
      + " elif /usr/bin/dpkg --compare-versions \"$a\" eq \"$b\"; then echo '=';"
      + " else echo '>'; fi; done";

  private static final String HAND_PICKED = """
      1.0~rc1 1.0
      1:0.1 9.9
      1.0-1 1.0+deb12u1-1
      1.0 1.0-0
      01 1
      1.0~ 1.0~~
      1.0a 1.0+
      1.0-1~bpo12+1 1.0-1
      2.36-9+deb12u10 2.36-9+deb12u3
      7.88.1-10+deb12u5 7.88.1-10+deb12u12
      0.99999999999999999999999 1.00000000000000000000000000001
      1.0.0 1.0
      1.0a 1.0.
      """;

  @Test
  @DisplayName("2,000 generated pairs and the hand-picked edge cases agree with the real dpkg")
  void agreesWithDpkg(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(DPKG), "dpkg is not installed on this machine");
    List<String[]> pairs = new ArrayList<>();
    for (String line : HAND_PICKED.strip().split("\n")) {
      pairs.add(line.strip().split(" "));
    }
    Random random = new Random(20260214);
    while (pairs.size() < PAIRS) {
      String a = version(random);
      pairs.add(new String[] {a, random.nextInt(3) == 0 ? version(random) : mutate(a, random)});
    }

    List<String> verdicts = dpkgVerdicts(pairs, dir);

    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      int ours = DebianVersion.parse(pairs.get(i)[0]).compareTo(DebianVersion.parse(pairs.get(i)[1]));
      String mine = ours < 0 ? "<" : ours == 0 ? "=" : ">";
      if (!mine.equals(verdicts.get(i))) {
        disagreements.add(pairs.get(i)[0] + " " + mine + " " + pairs.get(i)[1] + " but dpkg says " + verdicts.get(i));
      }
    }
    assertThat(disagreements).isEmpty();
    assertThat(verdicts).contains("<", "=", ">");
  }

  private static List<String> dpkgVerdicts(List<String[]> pairs, Path dir) throws IOException, InterruptedException {
    int batch = (pairs.size() + SHELLS - 1) / SHELLS;
    List<Process> shells = new ArrayList<>();
    List<Path> outputs = new ArrayList<>();
    for (int s = 0; s < SHELLS; s++) {
      StringBuilder input = new StringBuilder();
      for (int i = s * batch; i < Math.min(pairs.size(), (s + 1) * batch); i++) {
        input.append(pairs.get(i)[0]).append(' ').append(pairs.get(i)[1]).append('\n');
      }
      Path in = Files.writeString(dir.resolve("pairs-" + s), input);
      Path out = dir.resolve("verdicts-" + s);
      outputs.add(out);
      shells.add(new ProcessBuilder("/bin/sh", "-c", COMPARE_LOOP)
          .redirectInput(in.toFile())
          .redirectOutput(out.toFile())
          .redirectError(dir.resolve("errors-" + s).toFile())
          .start());
    }
    List<String> verdicts = new ArrayList<>();
    for (int s = 0; s < SHELLS; s++) {
      Process shell = shells.get(s);
      assertThat(shell.waitFor(60, TimeUnit.SECONDS)).as("dpkg batch %d finished", s).isTrue();
      assertThat(shell.exitValue()).isZero();
      verdicts.addAll(Files.readAllLines(outputs.get(s), StandardCharsets.UTF_8));
    }
    assertThat(verdicts).hasSize(pairs.size());
    return verdicts;
  }

  /** A valid version from a small alphabet, so that equal and nearly equal parts are common. */
  private static String version(Random random) {
    StringBuilder text = new StringBuilder();
    boolean epoch = random.nextInt(4) == 0;
    boolean revision = random.nextBoolean();
    if (epoch) {
      text.append(random.nextInt(3)).append(':');
    }
    text.append((char) ('0' + random.nextInt(10)));
    String upstreamAlphabet = "0012399..~~+abzAZ" + (epoch ? ":" : "") + (revision ? "-" : "");
    int length = random.nextInt(8);
    for (int i = 0; i < length; i++) {
      text.append(upstreamAlphabet.charAt(random.nextInt(upstreamAlphabet.length())));
    }
    if (revision) {
      text.append('-');
      String revisionAlphabet = "0019..~+ab";
      int revisionLength = 1 + random.nextInt(5);
      for (int i = 0; i < revisionLength; i++) {
        text.append(revisionAlphabet.charAt(random.nextInt(revisionAlphabet.length())));
      }
    }
    return text.toString();
  }

  /** A close relative of {@code version}: one appended, dropped, or replaced character, or zero padding. */
  private static String mutate(String version, Random random) {
    String candidate;
    do {
      String appendable = "0~.a+1";
      candidate = switch (random.nextInt(5)) {
        case 0 -> version + appendable.charAt(random.nextInt(appendable.length()));
        case 1 -> version.length() > 1 ? version.substring(0, version.length() - 1) : version;
        case 2 -> version.replaceFirst("(\\d+)", "0$1");
        case 3 -> {
          int at = random.nextInt(version.length());
          char c = version.charAt(at);
          char replacement = Character.isDigit(c) ? (char) ('0' + random.nextInt(10)) : c == '~' ? '.' : c;
          yield version.substring(0, at) + replacement + version.substring(at + 1);
        }
        default -> version;
      };
    } while (DebianVersion.tryParse(candidate).isEmpty() || !startsWellFormed(candidate));
    return candidate;
  }

  /** dpkg warns (on stderr) when the upstream part does not start with a digit; keep the data clean. */
  private static boolean startsWellFormed(String version) {
    DebianVersion parsed = DebianVersion.parse(version);
    return Character.isDigit(parsed.upstream().charAt(0))
        && (parsed.revision().isEmpty() || parsed.revision().chars().allMatch(c -> Character.isLetterOrDigit(c) || ".+~".indexOf(c) >= 0))
        && parsed.upstream().chars().allMatch(c -> Character.isLetterOrDigit(c) || ".+~:-".indexOf(c) >= 0);
  }
}
