package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code linux-patch-api events --config FILE} in a child JVM, as an operator runs it: each stdout line is
 * parsed as JSON and stamped with the time the test read it (the print time plus a pipe hop).
 */
final class EventsSubscriber implements AutoCloseable {

  /** One printed event and when it was read, in epoch milliseconds. */
  record Line(JsonObject event, long readAtMillis) {}

  private final Process process;
  final Path log;
  private final LinkedBlockingQueue<Line> lines = new LinkedBlockingQueue<>();
  private final List<String> notJson = new ArrayList<>();

  private EventsSubscriber(Process process, Path log) {
    this.process = process;
    this.log = log;
    Thread reader = new Thread(this::read, "events-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  static EventsSubscriber start(Path configFile, Path logDir, String... extraArgs) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        "io.linuxpatch.agent.Main", "events", "--config", configFile.toString()));
    command.addAll(List.of(extraArgs));
    Path log = logDir.resolve("events-" + System.nanoTime() + ".stderr.log");
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    return new EventsSubscriber(process, log);
  }

  private void read() {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        long now = System.currentTimeMillis();
        try {
          lines.add(new Line(new JsonObject(line), now));
        } catch (RuntimeException e) {
          synchronized (notJson) {
            notJson.add(line);
          }
        }
      }
    } catch (IOException ended) {
      // the process was killed
    }
  }

  /** The next event, or null after {@code timeout}. */
  Line next(Duration timeout) throws InterruptedException {
    return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Everything printed so far that was not one JSON object per line (must stay empty). */
  List<String> notJson() {
    synchronized (notJson) {
      return List.copyOf(notJson);
    }
  }

  long pid() {
    return process.pid();
  }

  /**
   * The node id this subscriber joined the cluster as, from its "subscribed to … as node ID" log line (waited for:
   * it is written once every subscription is registered in the cluster).
   */
  String nodeId() {
    Pattern subscribed = Pattern.compile("subscribed to .* as node (\\S+) ");
    return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
      assertThat(process.isAlive()).as("the events subscriber exited; its log: %s", log).isTrue();
      return Files.readAllLines(log).stream().map(subscribed::matcher).filter(Matcher::find).map(m -> m.group(1))
          .findFirst();
    }, Optional::isPresent).orElseThrow();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: the subscriber vanishes without leaving the cluster. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
