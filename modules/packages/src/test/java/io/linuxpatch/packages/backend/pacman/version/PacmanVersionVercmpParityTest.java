package io.linuxpatch.packages.backend.pacman.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link PacmanVersion} against the real {@code /usr/bin/vercmp} on generated pairs. */
class PacmanVersionVercmpParityTest {

  private static final Path VERCMP = Path.of("/usr/bin/vercmp");
  private static final int PAIRS = 600;
  private static final String SEGMENT_CHARS = "0123456789abcxyzABZ";
  private static final String SEPARATORS = "._+~";

  @Test
  @DisplayName("600 generated pairs (epochs, pkgrels, alpha/numeric segments, separators) order as /usr/bin/vercmp says")
  void generatedPairsMatchVercmp() {
    assumeTrue(Files.isExecutable(VERCMP), "vercmp is not installed (Debian package makepkg)");
    Random random = new Random(20260613L);
    List<String[]> pairs = new ArrayList<>();
    for (int i = 0; i < PAIRS; i++) {
      String a = version(random);
      // half of the pairs are near misses of each other, where the subtle rules decide
      String b = random.nextBoolean() ? mutate(a, random) : version(random);
      pairs.add(new String[] {a, b});
    }
    StringBuilder input = new StringBuilder();
    for (String[] pair : pairs) {
      input.append(pair[0]).append(' ').append(pair[1]).append('\n');
    }
    // One shell for the whole batch; the pairs are the test's own, never input from a client.
    ProcessResult result = ProcessRunner.create().run(ProcessSpec.of(List.of("/bin/sh", "-c",
            "while read -r a b; do " + VERCMP + " \"$a\" \"$b\"; done"))
        .withStdin(input.toString().getBytes(StandardCharsets.UTF_8))
        .withTimeout(Duration.ofMinutes(2)));
    assertThat(result.succeeded()).as("vercmp batch: %s", result.stderr().text()).isTrue();
    List<String> answers = result.stdout().lines();
    assertThat(answers).hasSize(PAIRS);

    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < PAIRS; i++) {
      int expected = Integer.parseInt(answers.get(i).strip());
      int actual = Integer.signum(PacmanVersion.compare(pairs.get(i)[0], pairs.get(i)[1]));
      if (actual != expected) {
        mismatches.add(pairs.get(i)[0] + " vs " + pairs.get(i)[1] + ": vercmp " + expected + ", ours " + actual);
      }
    }
    assertThat(mismatches).isEmpty();
  }

  private static String version(Random random) {
    StringBuilder text = new StringBuilder();
    if (random.nextInt(5) == 0) {
      text.append(random.nextInt(3)).append(':');
    }
    text.append(part(random));
    if (random.nextInt(4) != 0) {
      text.append('-').append(random.nextInt(3) == 0 ? part(random) : String.valueOf(1 + random.nextInt(12)));
    }
    return text.toString();
  }

  private static String part(Random random) {
    StringBuilder text = new StringBuilder();
    int segments = 1 + random.nextInt(4);
    for (int s = 0; s < segments; s++) {
      if (s > 0) {
        int separators = random.nextInt(6) == 0 ? 2 : 1;
        for (int k = 0; k < separators; k++) {
          text.append(SEPARATORS.charAt(random.nextInt(SEPARATORS.length())));
        }
      }
      int length = 1 + random.nextInt(3);
      for (int k = 0; k < length; k++) {
        text.append(SEGMENT_CHARS.charAt(random.nextInt(SEGMENT_CHARS.length())));
      }
    }
    return text.toString();
  }

  /** A small edit: one character changed, added or removed, or a suffix appended. */
  private static String mutate(String version, Random random) {
    StringBuilder text = new StringBuilder(version);
    int at = random.nextInt(text.length());
    switch (random.nextInt(4)) {
      case 0 -> text.setCharAt(at, SEGMENT_CHARS.charAt(random.nextInt(SEGMENT_CHARS.length())));
      case 1 -> text.insert(at, SEPARATORS.charAt(random.nextInt(SEPARATORS.length())));
      case 2 -> {
        if (text.length() > 1) {
          text.deleteCharAt(at);
        }
      }
      default -> text.append(random.nextBoolean() ? "a" : ".1");
    }
    String result = text.toString();
    return result.isEmpty() || result.startsWith("-") ? version : result;
  }
}
