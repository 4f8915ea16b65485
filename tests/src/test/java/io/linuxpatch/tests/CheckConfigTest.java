package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** CFG-3 and CFG-4: {@code --check-config} exit codes and findings. */
@Tag("CFG-3")
@Tag("CFG-4")
class CheckConfigTest {

  @TempDir
  Path dir;
  AgentUnderTest setup;

  @BeforeEach
  void files() throws Exception {
    setup = new AgentUnderTest(dir);
  }

  /** Runs the real command line in-process and returns exit code and standard output. */
  private record Run(int exit, String out) {}

  private Run checkConfig() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      int exit = new CommandLine(new io.linuxpatch.agent.Main())
          .execute("--config", setup.configFile.toString(), "--check-config");
      return new Run(exit, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }

  @Test
  @DisplayName("a valid setup exits 0 and says OK")
  void valid() {
    Run run = checkConfig();
    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out()).contains("OK");
  }

  @Test
  @DisplayName("an unknown key and an out-of-range port exit 1 naming each key")
  void invalidConfig() throws Exception {
    AgentUnderTest.write(setup.configFile, "server:\n  port: 70000\n  colour: blue\n");
    Run run = checkConfig();
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("server.port: must be between 1 and 65535, got 70000")
        .contains("server.colour: unknown key");
  }

  @Test
  @DisplayName("a missing server certificate exits 1 with an actionable line")
  void missingCertificate() throws Exception {
    Files.delete(setup.pki.dir.resolve("server.pem"));
    Run run = checkConfig();
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("tls.server_cert").contains("server.pem");
  }

  @Test
  @DisplayName("a key that does not belong to the certificate exits 1")
  void keyMismatch() throws Exception {
    setup.pki.client("other").writeTo(dir.resolve("other.pem"), setup.pki.dir.resolve("server.key.pem"));
    Run run = checkConfig();
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("tls.server_key");
  }

  @Test
  @DisplayName("an invalid allow-list exits 1 naming the entry")
  void invalidAllowList() throws Exception {
    AgentUnderTest.write(setup.whitelistFile, "entries:\n  - 10.0.0.0/33\n");
    Run run = checkConfig();
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("10.0.0.0/33");
  }
}
