package io.linuxpatch.tests;

import io.linuxpatch.agent.Main;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * An agent's files (config, allow-list, certificates of {@link TestPki}, data and audit directories) and a
 * {@link FleetManager} whose fleet CA is the agent's CA, for the enrollment tests; runs the real command line
 * in-process with its output captured (the log lines included: the console appender writes to System.out).
 */
final class EnrollmentSetup implements AutoCloseable {

  /** The manager listens on a second loopback address, so that the allow-list edit has something to add. */
  static final String MANAGER_IP = "127.0.0.2";

  final AgentUnderTest agent;
  final FleetManager manager;

  /** What one command line run printed, and its exit code. */
  record Run(int exit, String out, String err) {
    String all() {
      return out + err;
    }

    List<String> errLines() {
      return err.lines().filter(l -> l.startsWith("linux-patch-api:")).toList();
    }
  }

  EnrollmentSetup(Path dir) throws Exception {
    this.agent = new AgentUnderTest(dir);
    this.manager = FleetManager.https(dir.resolve("manager"), agent.pki.ca, MANAGER_IP);
  }

  /** The enrollment section: {@code url} may be null (then only manager_ca and timing). */
  void configure(String url, int maxPollAttempts) throws IOException {
    agent.writeConfig("""
        enrollment:
          %s
          manager_ca: %s
          polling_interval_seconds: 1
          max_poll_attempts: %d
          cert_renewal_threshold_days: 7
        """.formatted(url == null ? "" : "manager_url: \"" + url + "\"", manager.tlsCaFile, maxPollAttempts));
  }

  /** Removes the agent's CA, certificate and key: enrollment from nothing. */
  void removeCertificates() throws IOException {
    for (String name : new String[] {"ca.pem", "server.pem", "server.key.pem"}) {
      Files.delete(agent.pki.dir.resolve(name));
    }
  }

  Path certificate() {
    return agent.pki.dir.resolve("server.pem");
  }

  Path key() {
    return agent.pki.dir.resolve("server.key.pem");
  }

  Path caFile() {
    return agent.pki.dir.resolve("ca.pem");
  }

  /** The command line with {@code args} after {@code --config CONFIG}. */
  static synchronized Run cli(Path config, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
    ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
      String[] all = new String[args.length + 2];
      all[0] = "--config";
      all[1] = config.toString();
      System.arraycopy(args, 0, all, 2, args.length);
      int exit = new CommandLine(new Main()).execute(all);
      return new Run(exit, capturedOut.toString(StandardCharsets.UTF_8), capturedErr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
      out.print(capturedOut.toString(StandardCharsets.UTF_8));
      err.print(capturedErr.toString(StandardCharsets.UTF_8));
    }
  }

  Run cli(String... args) {
    return cli(agent.configFile, args);
  }

  /** A child JVM running the command line with {@code args} after {@code --config CONFIG}; output in {@code log}. */
  Process child(Path log, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        "io.linuxpatch.agent.Main", "--config", agent.configFile.toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Runs {@link #child} to its end (at most {@code seconds}); its exit code. */
  int childRun(Path log, int seconds, String... args) throws Exception {
    Process process = child(log, args);
    if (!process.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the command did not end within " + seconds + " s: " + Files.readString(log));
    }
    return process.exitValue();
  }

  /** Every file under the certificates directory and the allow-list, with its bytes (for "nothing changed"). */
  Map<String, String> snapshot() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(agent.pki.dir)) {
      for (Path file : all.filter(Files::isRegularFile).sorted().toList()) {
        files.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.ISO_8859_1));
      }
    }
    files.put("whitelist.yaml", Files.readString(agent.whitelistFile));
    return files;
  }

  /** The audit records of enrollment steps, in order. */
  List<JsonObject> enrollmentRecords() throws IOException {
    return agent.auditRecords().stream().filter(r -> {
      String event = r.getString("event", "");
      return event.startsWith("enrollment_") || event.equals("certificates_written") || event.equals("renewal_failed");
    }).toList();
  }

  @Override
  public void close() throws Exception {
    manager.close();
    agent.close();
  }
}
