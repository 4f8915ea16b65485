package io.linuxpatch.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Real children see only the scrubbed environment and a fixed working directory. */
class RunnerEnvironmentTest {

  private final ProcessRunner runner = ProcessRunner.create();

  @Test
  @DisplayName("The child's environment is exactly the fixed variables plus the caller's extras, nothing inherited")
  void environmentIsScrubbed() {
    assumeThat(System.getenv("LPA_TEST_PARENT_SECRET"))
        .as("surefire sets LPA_TEST_PARENT_SECRET in the test JVM").isNotNull();

    ProcessResult result = runner.run(ProcessSpec.of("/usr/bin/env")
        .withExtraEnv(Map.of("APT_CONFIG", "/tmp/sandbox/apt.conf", "TMPDIR", "/tmp/sandbox/tmp")));

    assertThat(result.succeeded()).isTrue();
    assertThat(result.stdout().lines()).containsExactlyInAnyOrder(
        "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
        "LC_ALL=C",
        "LANG=C",
        "DEBIAN_FRONTEND=noninteractive",
        "APT_CONFIG=/tmp/sandbox/apt.conf",
        "TMPDIR=/tmp/sandbox/tmp");
    assertThat(result.stdout().text()).doesNotContain("LPA_TEST_PARENT_SECRET", "must-not-leak", "HOME=");
  }

  @Test
  @DisplayName("The child runs in / unless told otherwise, never in the agent's working directory")
  void workingDirectory() {
    assertThat(runner.run(ProcessSpec.of("/bin/pwd")).stdout().text()).isEqualTo("/\n");
    assertThat(runner.run(ProcessSpec.of("/bin/pwd").withWorkingDirectory(java.nio.file.Path.of("/tmp")))
        .stdout().text()).isEqualTo("/tmp\n");
  }

  @Test
  @DisplayName("A program that does not exist fails to launch with its path in the message")
  void missingProgram() {
    org.assertj.core.api.Assertions
        .assertThatThrownBy(() -> runner.run(ProcessSpec.of("/usr/bin/no-such-program-lpa")))
        .isInstanceOf(ProcessLaunchException.class)
        .hasMessageContaining("/usr/bin/no-such-program-lpa");
  }
}
