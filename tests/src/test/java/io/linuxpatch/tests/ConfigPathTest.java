package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

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

/**
 * CFG-1: the configuration is {@code /etc/linux_patch_api/config.yaml} unless {@code --config}/{@code -c} names
 * another file, and that file is the one read, by the agent's start as by {@code --check-config}. The real command
 * line in-process; a start that finds its file invalid or missing exits before it takes a lock or opens a port.
 */
@Tag("CFG-1")
class ConfigPathTest {

  private static final Path DEFAULT = Path.of("/etc/linux_patch_api/config.yaml");

  @TempDir
  Path dir;
  AgentUnderTest setup;

  @BeforeEach
  void files() throws Exception {
    setup = new AgentUnderTest(dir);
  }

  /** Exit code, standard output and standard error of one command line. */
  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
    ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
      int exit = new CommandLine(new io.linuxpatch.agent.Main()).execute(args);
      return new Run(exit, capturedOut.toString(StandardCharsets.UTF_8), capturedErr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  @DisplayName("CFG-1: --config and -c name the file that is read: the same command passes on one file and names the bad key of another")
  void configOption() throws Exception {
    Path other = dir.resolve("other.yaml");
    AgentUnderTest.write(other, Files.readString(setup.configFile) + "colour: blue\n");

    Run good = run("--config", setup.configFile.toString(), "--check-config");
    assertThat(good.exit()).as(good.out()).isZero();
    Run bad = run("-c", other.toString(), "--check-config");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.out()).contains("colour: unknown key");

    // The agent's start reads the same file: refused as a whole, naming the file and the key, before it starts.
    Run start = run("-c", other.toString());
    assertThat(start.exit()).isEqualTo(1);
    assertThat(start.err()).contains("configuration " + other + " is invalid").contains("colour: unknown key");
    assertThat(Files.exists(dir.resolve("data"))).as("nothing of the data directory made").isFalse();
  }

  @Test
  @DisplayName("CFG-1: without --config the agent reads /etc/linux_patch_api/config.yaml; where it is missing, start and --check-config exit 1 naming it and --config")
  void defaultPath() {
    assumeFalse(Files.exists(DEFAULT), DEFAULT + " exists on this machine: the agent would start on it");
    Run check = run("--check-config");
    assertThat(check.exit()).isEqualTo(1);
    assertThat(check.out()).contains(DEFAULT.toString()).contains("does not exist").contains("--config");

    Run start = run();
    assertThat(start.exit()).isEqualTo(1);
    assertThat(start.err()).contains("configuration " + DEFAULT + " is invalid").contains("does not exist")
        .contains("--config");
  }
}
