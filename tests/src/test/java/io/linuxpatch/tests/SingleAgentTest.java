package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.agent.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OPS-5 with real processes: a second agent started on the configuration of a running one (by hand, or a
 * service restart racing a stray process) finds the data directory and audit log locked, says so in one line,
 * exits 1, and leaves every file as it was: no record in the live audit log, no job rewritten.
 */
@Tag("OPS-5")
class SingleAgentTest {

  @TempDir
  Path dir;

  /** Every file under {@code root} with its bytes, so that "changed nothing" can be compared exactly. */
  private static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path file : all.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(file).toString(), java.util.HexFormat.of().formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
      }
    } catch (java.security.NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
    return files;
  }

  /** Runs the agent's command line in a child JVM until it exits; returns its exit code and output. */
  private static Finished run(Path workingDir, String... args) throws Exception {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
        "io.linuxpatch.agent.Main"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true).start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return e.toString();
      }
    });
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the second start did not exit; it printed: " + output.getNow(""));
    }
    return new Finished(process.exitValue(), output.get(10, TimeUnit.SECONDS));
  }

  private record Finished(int exitCode, String output) {
    List<String> lines() {
      return output.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  @Test
  @DisplayName("a second agent on the config of a running one exits 1 with one line; audit log and job files stay byte-identical")
  void secondAgentChangesNothing() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    assumeTrue(LockHolder.available(), "python3 is needed to hold dpkg's lock like another program");
    AgentUnderTest setup = new AgentUnderTest(dir);
    var sandbox = setup.useDemoSandbox("jobs:\n  lock_wait_seconds: 120\n" + AgentUnderTest.TEST_CLIENT_ADMIN);
    Path audit = dir.resolve("log/audit.jsonl");
    try (LockHolder holder = LockHolder.hold(sandbox.root()); ChildAgent first = ChildAgent.start(setup)) {
      // A live job that a second agent's start-up would fail as AGENT_RESTARTED.
      String running = first.send("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}")
          .getJsonObject("data").getString("job_id");
      await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(
          first.send("GET", "/api/v1/jobs/" + running, null).getJsonObject("data").getString("status")));
      first.send("GET", "/api/v1/system/info", null);
      // The buffered record of that last request is the newest line once the one-second flush has run.
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(audit).contains("/api/v1/system/info"));
      Map<String, String> before = snapshot(dir.resolve("data"));
      byte[] auditBefore = Files.readAllBytes(audit);

      Finished second = run(dir, "--config", setup.configFile.toString());

      assertThat(second.exitCode()).as(second.output()).isEqualTo(1);
      assertThat(second.lines()).as(second.output()).hasSize(1);
      assertThat(second.lines().get(0)).contains("another agent").contains(String.valueOf(first.pid()))
          .contains(dir.resolve("data").toString());
      assertThat(Files.readAllBytes(audit)).as("the live audit log").isEqualTo(auditBefore);
      assertThat(snapshot(dir.resolve("data"))).as("the job store").isEqualTo(before);
      // The running agent is unaffected and still owns its job.
      assertThat(first.send("GET", "/api/v1/jobs/" + running, null).getJsonObject("data").getString("status"))
          .isEqualTo("running");
    } finally {
      SandboxProcesses.killAll(sandbox);
    }
    assertThat(new picocli.CommandLine(new Main()).execute("audit", "verify", dir.resolve("log").toString())).isZero();
  }

  @Test
  @DisplayName("`dev` on the directory of a running developer-mode agent exits 1 with one line and writes nothing")
  void devOnARunningDirectoryChangesNothing() throws Exception {
    Path devDir = dir.resolve("dev");
    int port = AgentUnderTest.freePort();
    try (DevModeTest.DevProcess first = DevModeTest.DevProcess.start(dir, devDir, port)) {
      first.awaitCurlLine();
      // Whatever the first agent buffered at start is on disk after the one-second flush.
      // agent_start and the first allow-list and certificate loads may reach the disk in separate flushes.
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        String written = Files.readString(devDir.resolve("log/audit.jsonl"));
        return written.contains("agent_start") && written.contains("allowlist_reload")
            && written.contains("certificates_reload");
      });
      Map<String, String> before = snapshot(devDir);

      Finished second = run(dir, "dev", "--dir", devDir.toString(), "--port", String.valueOf(port));

      assertThat(second.exitCode()).as(second.output()).isEqualTo(1);
      assertThat(second.lines()).as(second.output()).hasSize(1);
      assertThat(second.lines().get(0)).contains("another agent");
      assertThat(snapshot(devDir)).isEqualTo(before);
    }
  }

  @Test
  @DisplayName("in one process too: a second start on the same data directory fails with AgentLock.Held; once the first stops, the lock is free")
  void lockIsHeldUntilStop() throws Exception {
    AgentUnderTest first = new AgentUnderTest(dir).start();
    AgentUnderTest second = new AgentUnderTest(dir);
    try {
      assertThat(org.assertj.core.api.Assertions.catchThrowable(second::start))
          .isInstanceOf(io.linuxpatch.agent.AgentLock.Held.class)
          .hasMessageContaining("another agent").hasMessageContaining("this process");
      // The audit log alone is enough to be refused: another data directory, the same log.
      Path elsewhere = dir.resolve("elsewhere");
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> io.linuxpatch.agent.AgentLock.acquire(
          elsewhere, dir.resolve("log/audit.jsonl")))).isInstanceOf(io.linuxpatch.agent.AgentLock.Held.class)
          .hasMessageContaining("audit log");
      // What that attempt had locked already (the other data directory) was let go again.
      io.linuxpatch.agent.AgentLock.acquire(elsewhere, dir.resolve("elsewhere/audit.jsonl")).close();
    } finally {
      first.close();
    }
    try (io.linuxpatch.agent.AgentLock free = io.linuxpatch.agent.AgentLock.acquire(dir.resolve("data"),
        dir.resolve("log/audit.jsonl"))) {
      assertThat(Files.readString(dir.resolve("data").resolve(io.linuxpatch.agent.AgentLock.DATA_LOCK)).trim())
          .isEqualTo(String.valueOf(ProcessHandle.current().pid()));
    }
  }
}
