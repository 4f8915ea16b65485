package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OPS-3: {@code linux-patch-api dev} run as a real child process creates a working setup from nothing,
 * prints a curl command that works as printed, and a second run reuses every file.
 */
@Tag("OPS-3")
class DevModeTest {

  @TempDir
  Path work;

  @Test
  @DisplayName("dev creates a working setup from nothing; its printed curl returns /health; a second run reuses it")
  void devFromNothing() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed (apt-get install curl)");
    Files.createDirectories(work.resolve("elsewhere"));
    // DIR may already exist and hold other files: they must survive.
    Files.createDirectories(work.resolve("dev"));
    Path stray = Files.writeString(work.resolve("dev/keep.txt"), "not ours");
    int port = AgentUnderTest.freePort();

    String firstCa;
    try (DevProcess first = DevProcess.start(work.resolve("elsewhere"), work.resolve("dev"), port)) {
      String curl = first.awaitCurlLine();
      Path devDir = work.resolve("dev");
      for (String name : List.of("certs/ca.pem", "certs/ca.key.pem", "certs/server.pem", "certs/server.key.pem",
          "certs/client.pem", "certs/client.key.pem", "config.yaml", "whitelist.yaml")) {
        assertThat(devDir.resolve(name)).as(name).exists();
      }
      for (String key : List.of("certs/ca.key.pem", "certs/server.key.pem", "certs/client.key.pem")) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(devDir.resolve(key))))
            .as(key).isEqualTo("rw-------");
      }
      assertThat(Files.readString(devDir.resolve("config.yaml"))).contains(devDir.toString() + "/data")
          .contains("port: " + port).contains("backend: apt").contains(devDir.resolve("sandbox").toString())
          .as("SEC-6: without a grant the walkthrough's client could only read").contains("\"dev-client\": admin");
      String body = runCurl(curl);
      assertThat(body).contains("\"success\":true").contains("\"status\"");
      firstCa = Files.readString(devDir.resolve("certs/ca.pem"));
    }
    try (DevProcess second = DevProcess.start(work.resolve("elsewhere"), work.resolve("dev"), port)) {
      String curl = second.awaitCurlLine();
      assertThat(second.output()).contains("reusing").doesNotContain("created");
      assertThat(Files.readString(work.resolve("dev/certs/ca.pem"))).isEqualTo(firstCa);
      assertThat(runCurl(curl)).contains("\"success\":true");
    }
    assertThat(Files.readString(stray)).isEqualTo("not ours");
  }

  @Test
  @DisplayName("a reused config without an authorization section is left as it is, and dev says how to grant its client admin")
  void reusedConfigWithoutGrant() throws Exception {
    Path devDir = work.resolve("old-dev");
    Files.createDirectories(devDir);
    String old = "server:\n  port: 12443\n";
    Files.writeString(devDir.resolve("config.yaml"), old);
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    new io.linuxpatch.agent.dev.DevSetup(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8))
        .prepare(devDir, 12443, "127.0.0.1");
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("has no authorization section")
        .contains("\"dev-client\": admin");
    assertThat(Files.readString(devDir.resolve("config.yaml"))).isEqualTo(old);
  }

  @Test
  @DisplayName("the README walkthrough: install a demo package with curl, watch it over the WebSocket with `watch`, roll it back")
  void walkthrough() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed (apt-get install curl)");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-get")), "apt-get is needed for the demo sandbox");
    Path devDir = work.resolve("dev");
    int port = AgentUnderTest.freePort();
    try (DevProcess dev = DevProcess.start(work, devDir, port)) {
      dev.awaitCurlLine();
      // The hint names a command a newcomer has: this java and this agent's class path (the jar, when run from it).
      String again = dev.awaitLine("Same agent from any directory: ");
      assertThat(again).contains(ProcessHandle.current().info().command().orElse("java") + " -cp ")
          .endsWith("io.linuxpatch.agent.Main --config " + devDir.resolve("config.yaml"))
          .doesNotContain("linux-patch-api --config");
      String base = "https://localhost:" + port;
      // A job id the agent refuses or does not know ends watch with its error, instead of waiting for ever.
      assertThat(watchRefused(devDir, base, "not-a-job-id")).contains("INVALID_JOB_ID");
      assertThat(watchRefused(devDir, base, java.util.UUID.randomUUID().toString())).contains("JOB_NOT_FOUND");
      io.vertx.core.json.JsonObject install = new io.vertx.core.json.JsonObject(curl(devDir, "-X", "POST",
          "-H", "Content-Type: application/json", "-d", "{\"packages\":[{\"name\":\"demo-app\"}]}",
          base + "/api/v1/packages"));
      String id = install.getJsonObject("data").getString("job_id");
      String watched = watch(devDir, base, id);
      assertThat(watched).contains("\"job_complete\"").contains(id).contains("\"completed\"");
      io.vertx.core.json.JsonObject rollback = new io.vertx.core.json.JsonObject(curl(devDir, "-X", "POST",
          base + "/api/v1/jobs/" + id + "/rollback"));
      String rollbackId = rollback.getJsonObject("data").getString("job_id");
      assertThat(watch(devDir, base, rollbackId)).contains("\"completed\"");
      assertThat(new io.vertx.core.json.JsonObject(curl(devDir, base + "/api/v1/packages/demo-app"))
          .getJsonObject("data").getString("status")).isEqualTo("available");
    }
  }

  /** curl with the developer-mode client certificate, as the README's $C. */
  private static String curl(Path devDir, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("/usr/bin/curl", "-sS",
        "--cacert", devDir.resolve("certs/ca.pem").toString(),
        "--cert", devDir.resolve("certs/client.pem").toString(),
        "--key", devDir.resolve("certs/client.key.pem").toString()));
    argv.addAll(List.of(args));
    return documentedCurl(argv);
  }

  /**
   * Runs curl (its argv, URL last) with the answer's headers dumped to a file, checks the answer against the
   * document ({@link DocumentedAnswers}, API-9) and returns the body.
   */
  private static String documentedCurl(List<String> argv) throws Exception {
    Path headerFile = Files.createTempFile("curl-headers", ".txt");
    try {
      List<String> withHeaders = new ArrayList<>(argv);
      withHeaders.addAll(1, List.of("-D", headerFile.toString()));
      Process curl = new ProcessBuilder(withHeaders).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(curl.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(curl.exitValue()).as(out).isZero();
      List<String> lines = Files.readAllLines(headerFile, StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(lines.get(0).split(" ")[1]);
      java.util.Map<String, String> headers = new java.util.HashMap<>();
      lines.stream().skip(1).filter(l -> l.contains(":")).forEach(l -> headers.put(
          l.substring(0, l.indexOf(':')).trim().toLowerCase(java.util.Locale.ROOT), l.substring(l.indexOf(':') + 1).trim()));
      int method = argv.indexOf("-X");
      java.net.URI url = java.net.URI.create(argv.get(argv.size() - 1));
      DocumentedAnswers.check(method < 0 ? "GET" : argv.get(method + 1), url.getRawPath(), status, headers, out);
      return out;
    } finally {
      Files.deleteIfExists(headerFile);
    }
  }

  /** `linux-patch-api watch --dir DIR --url URL JOB_ID` in a child JVM; its stdout once the job completed. */
  private static String watch(Path devDir, String base, String jobId) throws Exception {
    Watched watched = runWatch(devDir, base, jobId);
    assertThat(watched.exit()).as(watched.stdout() + watched.stderr()).isZero();
    return watched.stdout();
  }

  /** `watch` for a job id the agent refuses or does not know: exit 1 within 60 s; its stderr. */
  private static String watchRefused(Path devDir, String base, String jobId) throws Exception {
    Watched watched = runWatch(devDir, base, jobId);
    assertThat(watched.exit()).as(watched.stderr()).isEqualTo(1);
    return watched.stderr();
  }

  private record Watched(int exit, String stdout, String stderr) {
  }

  /** `watch` in a child JVM with the test's class path; fails when it has not ended within 60 s. */
  private static Watched runWatch(Path devDir, String base, String jobId) throws Exception {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    Process watch = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), "io.linuxpatch.agent.Main",
        "watch", "--dir", devDir.toString(), "--url", base, jobId).start();
    CompletableFuture<String> out = drain(watch.getInputStream());
    CompletableFuture<String> err = drain(watch.getErrorStream());
    if (!watch.waitFor(60, TimeUnit.SECONDS)) {
      watch.destroyForcibly();
      throw new AssertionError("watch " + jobId + " did not end; it printed: " + out.getNow("") + err.getNow(""));
    }
    return new Watched(watch.exitValue(), out.get(), err.get());
  }

  private static CompletableFuture<String> drain(java.io.InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return e.toString();
      }
    });
  }

  private static String runCurl(String commandLine) throws Exception {
    List<String> argv = new ArrayList<>(Arrays.asList(commandLine.trim().split(" ")));
    argv.add(1, "-sS");
    return documentedCurl(argv);
  }

  /** The agent's real command line in a child JVM, with the test's classpath. */
  static final class DevProcess implements AutoCloseable {
    private final Process process;
    private final StringBuilder output = new StringBuilder();
    private final BufferedReader reader;

    private DevProcess(Process process) {
      this.process = process;
      this.reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static DevProcess start(Path workingDir, Path devDir, int port) throws IOException {
      String java = ProcessHandle.current().info().command().orElse("java");
      ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          "io.linuxpatch.agent.Main", "dev", "--dir", devDir.toString(), "--port", String.valueOf(port))
          .directory(workingDir.toFile())
          .redirectErrorStream(true);
      return new DevProcess(builder.start());
    }

    String awaitCurlLine() throws IOException {
      return awaitLine("curl ");
    }

    /** The next line of dev's output that starts with {@code prefix} (blanks stripped). */
    String awaitLine(String prefix) throws IOException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String line;
      while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
        output.append(line).append('\n');
        if (line.trim().startsWith(prefix)) {
          return line.trim();
        }
      }
      throw new AssertionError("dev never printed a line starting with '" + prefix + "'; output:\n" + output);
    }

    String output() {
      return output.toString();
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("dev did not stop within 20 s of SIGTERM");
      }
    }
  }
}
