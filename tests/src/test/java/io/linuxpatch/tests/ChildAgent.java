package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent's real command line ({@code --config}) in a child JVM with the test's classpath, for what an
 * in-process agent cannot show: SIGKILL, per-process resource limits.
 */
final class ChildAgent implements AutoCloseable {

  private final AgentUnderTest setup;
  private final Process process;
  private final Path log;

  private ChildAgent(AgentUnderTest setup, Process process, Path log) {
    this.setup = setup;
    this.process = process;
    this.log = log;
  }

  /** Starts the agent on {@code setup}'s config and returns once it answers /health. */
  static ChildAgent start(AgentUnderTest setup) throws IOException {
    return start(setup, List.of());
  }

  /** The same with JVM flags, e.g. those of conf/jvm.options. */
  static ChildAgent start(AgentUnderTest setup, List<String> jvmFlags) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(jvmFlags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.linuxpatch.agent.Main",
        "--config", setup.configFile.toString()));
    return launch(setup, command, Map.of());
  }

  /**
   * Any command that runs the agent on {@code setup}'s config (e.g. the installed launcher), with {@code env} added
   * to the environment; returns once it answers /health.
   */
  static ChildAgent launch(AgentUnderTest setup, List<String> command, Map<String, String> env)
      throws IOException {
    Path log = setup.dir.resolve("agent-" + System.nanoTime() + ".log");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    ChildAgent agent = new ChildAgent(setup, process, log);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      if (!process.isAlive()) {
        List<String> lines = Files.readAllLines(log);
        assertThat(process.isAlive()).as("the agent exited early (%d); its last lines:%n%s", process.exitValue(),
            String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()))).isTrue();
      }
      try {
        return agent.send("GET", "/health", null).getInteger("_status") != null;
      } catch (IOException notYet) {
        return false;
      }
    });
    return agent;
  }

  /** The recommended flags of {@code conf/jvm.options} (OPS-4), as the README's command and the unit pass them. */
  static List<String> productionFlags() throws IOException {
    return java.nio.file.Files.readAllLines(java.nio.file.Path.of("../conf/jvm.options")).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  /** Whether the agent still runs (it did not exit, e.g. on an OutOfMemoryError with ExitOnOutOfMemoryError). */
  boolean isAlive() {
    return process.isAlive();
  }

  /** What the agent wrote so far (stdout and stderr), one entry a line. */
  List<String> logLines() throws IOException {
    return Files.readAllLines(log);
  }

  long pid() {
    return process.pid();
  }

  /** The command line the process runs now (after a launcher's exec, the JVM's). */
  String commandLine() {
    return process.toHandle().info().commandLine().orElse("");
  }

  /** Stops it with SIGTERM, as systemd does, and waits for it to exit. */
  boolean stop() throws InterruptedException {
    process.destroy();
    return process.waitFor(20, TimeUnit.SECONDS);
  }

  /** One request on a new connection; the envelope with {@code _status} added. */
  JsonObject send(String method, String path, String body) throws Exception {
    try (TlsClient client = setup.connect()) {
      TlsClient.Response response = body == null ? client.exchange(method, path, null)
          : client.exchange(method, path, body, "Content-Type: application/json");
      return new JsonObject(response.body()).put("_status", response.status());
    }
  }

  /** SIGKILL: no shutdown hook, no flush. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
