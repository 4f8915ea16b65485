package io.linuxpatch.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * CLU-1 in the source: no production code registers a cluster-wide {@code consumer(...)}; every consumer
 * is a {@code localConsumer}. The one exception is the {@code events} subscriber, whose registration on the
 * cluster is its purpose.
 */
@Tag("CLU-1")
class CommandAddressesStayLocalTest {

  private static final Pattern CLUSTER_CONSUMER = Pattern.compile("(?<![A-Za-z])consumer\\s*\\(");

  @Test
  @DisplayName("every event-bus consumer in modules/*/src/main is a localConsumer (the events subscriber excepted)")
  void onlyLocalConsumers() throws IOException {
    Path modules = Path.of("..").toAbsolutePath().normalize();
    assertThat(modules.resolve("agent/src/main/java")).isDirectory();
    List<String> offenders;
    try (Stream<Path> files = Files.walk(modules)) {
      offenders = files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
          .filter(p -> !p.getFileName().toString().equals("EventsCommand.java"))
          .flatMap(p -> {
            try {
              return Files.readAllLines(p).stream().filter(l -> CLUSTER_CONSUMER.matcher(l).find())
                  .map(l -> modules.relativize(p) + ": " + l.trim());
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }).toList();
    }
    assertThat(offenders).isEmpty();
  }
}
