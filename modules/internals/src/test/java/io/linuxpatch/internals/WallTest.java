package io.linuxpatch.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The wall itself: Vert.x internals are imported in this package only, and its README lists every hook. Reads the
 * project's own sources (the module's working directory is {@code modules/internals} under the reactor).
 */
@DisplayName("Vert.x internals are used behind one wall")
class WallTest {

  /** Vert.x' implementation and internal packages, and its core SPIs (transport, TLS); cluster managers are API. */
  private static final Pattern INTERNAL = Pattern.compile(
      "^import\\s+(static\\s+)?io\\.vertx\\.(?:[\\w.]*\\.)?(?:impl|internal)\\.|^import\\s+(static\\s+)?io\\.vertx\\.core\\.spi\\.",
      Pattern.MULTILINE);
  private static final Path MODULES = Path.of("..");
  private static final Path THIS_MODULE = Path.of("").toAbsolutePath().normalize();

  @Test
  @DisplayName("no module but internals imports io.vertx.*.impl, io.vertx.*.internal or io.vertx.core.spi")
  void noInternalImportsElsewhere() throws IOException {
    assertThat(THIS_MODULE.getFileName().toString()).as("run from modules/internals").isEqualTo("internals");
    List<String> offenders = new ArrayList<>();
    List<Path> roots = new ArrayList<>();
    try (Stream<Path> modules = Files.list(MODULES)) {
      modules.filter(m -> !m.toAbsolutePath().normalize().equals(THIS_MODULE)).map(m -> m.resolve("src"))
          .filter(Files::isDirectory).forEach(roots::add);
    }
    roots.add(MODULES.resolve("../tests/src"));
    roots.add(MODULES.resolve("../tests/benchmarks/src"));
    assertThat(roots).as("the other modules' sources are found").hasSizeGreaterThan(8);
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
          if (INTERNAL.matcher(read(f)).find()) {
            offenders.add(f.normalize().toString());
          }
        });
      }
    }
    assertThat(offenders).as("sources outside modules/internals that import a Vert.x internal").isEmpty();
  }

  @Test
  @DisplayName("the pattern catches the internal imports this package makes, so the check above can fail")
  void patternCatchesInternals() throws IOException {
    assertThat(INTERNAL.matcher(read(Path.of("src/main/java/io/linuxpatch/internals/HttpChannels.java"))).find())
        .isTrue();
    assertThat(INTERNAL.matcher(read(Path.of("src/main/java/io/linuxpatch/internals/AcceptTimeTransport.java")))
        .find()).isTrue();
    assertThat(INTERNAL.matcher("import io.vertx.spi.cluster.hazelcast.ConfigUtil;\n").find()).isFalse();
  }

  @Test
  @DisplayName("every public class of the package is a row of the README's table")
  void readmeListsEveryHook() throws IOException {
    String readme = read(Path.of("README.md"));
    List<String> missing = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("src/main/java/io/linuxpatch/internals"))) {
      files.filter(f -> read(f).contains("public final class") || read(f).contains("public abstract class"))
          .map(f -> f.getFileName().toString().replace(".java", ""))
          .filter(name -> !name.equals("BrokenAssumption"))
          .filter(name -> !readme.contains("| `" + name + "` |"))
          .forEach(missing::add);
    }
    assertThat(missing).as("hooks without a row in modules/internals/README.md").isEmpty();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
