package io.linuxpatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** When a young collection has grown Serial's old generation, one full collection is asked for, and only then. */
@Tag("OPS-4")
class OldGenerationGrowthTest {

  private static final long MB = 1024 * 1024;

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final AtomicInteger requested = new AtomicInteger();
  private final OldGenerationGrowth growth = new OldGenerationGrowth(clock::get, requested::incrementAndGet,
      OldGenerationGrowth.MIN_INTERVAL_NANOS);

  private static Map<String, MemoryUsage> old(long committedMb) {
    return Map.of(OldGenerationGrowth.OLD_POOL, new MemoryUsage(0, committedMb * MB / 2, committedMb * MB, 128 * MB),
        "Eden Space", new MemoryUsage(0, 0, 8 * MB, 8 * MB));
  }

  @Test
  @DisplayName("a young collection that grew the old generation (Java 23+): one full collection, then none for "
      + "the least interval")
  void grownByYoungCollection() {
    assertThat(growth.collected("Copy", old(38), old(41), 0)).isTrue();
    assertThat(requested).hasValue(1);
    clock.addAndGet(OldGenerationGrowth.MIN_INTERVAL_NANOS - 1);
    assertThat(growth.collected("Copy", old(41), old(44), 0)).isFalse();
    clock.addAndGet(1);
    assertThat(growth.collected("Copy", old(44), old(46), 0)).isTrue();
    assertThat(requested).hasValue(2);
  }

  @Test
  @DisplayName("grown by the full collection that followed the young one (Java 17): already collected, nothing asked")
  void grownByFullCollection() {
    assertThat(growth.collected("Copy", old(30), old(30), 2)).isFalse();
    assertThat(growth.collected("Copy", old(30), old(36), 3)).isFalse();
    assertThat(requested).hasValue(0);
    assertThat(growth.collected("Copy", old(36), old(38), 3)).as("no full collection since the last young one")
        .isTrue();
  }

  @Test
  @DisplayName("nothing when the old generation kept its size, for another collector, or without the pool")
  void nothingElse() {
    assertThat(growth.collected("Copy", old(38), old(38), 0)).isFalse();
    assertThat(growth.collected("Copy", old(38), old(30), 0)).isFalse();
    assertThat(growth.collected("MarkSweepCompact", old(38), old(50), 0)).isFalse();
    assertThat(growth.collected("G1 Young Generation", old(38), old(50), 0)).isFalse();
    assertThat(growth.collected("Copy", Map.of(), Map.of(), 0)).isFalse();
    assertThat(requested).hasValue(0);
  }

  /** Temurin 25 under /usr/lib/jvm, the Java whose Serial collector grows the old generation at young collections. */
  private static Optional<Path> java25() throws IOException {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (Stream<Path> found = Files.list(jvms)) {
      return found.filter(p -> p.getFileName().toString().startsWith("temurin-25"))
          .map(p -> p.resolve("bin/java")).filter(Files::isExecutable).findFirst();
    }
  }

  /** The probe's two numbers, run on {@code java} with Serial and the agent's young generation. */
  private static Map<String, Long> probe(Path java, boolean guarded) throws Exception {
    List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:+UseSerialGC", "-Xms16m", "-Xmx256m",
        "-Xmn12m", "-XX:SurvivorRatio=4", "-cp", System.getProperty("java.class.path"),
        OldGenerationGrowthProbe.class.getName()));
    if (guarded) {
      command.add("guarded");
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    Map<String, Long> values = new HashMap<>();
    output.lines().filter(line -> line.contains("=")).forEach(line ->
        values.put(line.substring(0, line.indexOf('=')), Long.parseLong(line.substring(line.indexOf('=') + 1))));
    return values;
  }

  @Test
  @DisplayName("on Java 25, a real Serial heap: promoted garbage grows the old generation unless the listener asks "
      + "for full collections")
  void java25Heap() throws Exception {
    Optional<Path> java = java25();
    assumeTrue(java.isPresent(), "no Temurin 25 under /usr/lib/jvm: the Java 23+ collector cannot be tried here");
    Map<String, Long> unguarded = probe(java.get(), false);
    Map<String, Long> guarded = probe(java.get(), true);
    assertThat(unguarded.get("full-collections-requested")).isZero();
    assertThat(guarded.get("full-collections-requested")).isPositive();
    assertThat(guarded.get("old-generation-largest-committed-mb"))
        .as("guarded %s, unguarded %s", guarded, unguarded)
        .isLessThan(unguarded.get("old-generation-largest-committed-mb"));
  }

  @Test
  @DisplayName("before Java 23 (17 in CI), a real Serial heap: the same promoted garbage never makes it ask")
  void java17Heap() throws Exception {
    assumeTrue(Runtime.version().feature() < 23, "this JVM is Java " + Runtime.version().feature()
        + ", whose Serial collector grows the old generation at young collections");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Map<String, Long> guarded = probe(java, true);
    assertThat(guarded.get("full-collections-requested")).as(guarded.toString()).isZero();
  }
}
