package io.linuxpatch.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Real children lead their own session and process group and are reaped. */
class RunnerSessionTest {

  private final ProcessRunner runner = ProcessRunner.create();

  @Test
  @DisplayName("The child leads its own session and process group: pgid == sid == pid, unlike the JVM's")
  void childLeadsItsOwnGroup() throws Exception {
    ProcessResult result = runner.run(ProcessSpec.of("/bin/cat", "/proc/self/stat"));

    ProcessGroup.ProcStat stat = ProcessGroup.ProcStat.parse(result.stdout().text()).orElseThrow();
    assertThat(stat.pid()).as("setsid execs the program in place, no extra fork").isEqualTo(result.pid());
    assertThat(stat.pgrp()).isEqualTo(result.pid());
    assertThat(stat.session()).isEqualTo(result.pid());

    ProcessGroup.ProcStat jvm = ProcessGroup.ProcStat.parse(ChildProcesses.stat(ProcessHandle.current().pid()))
        .orElseThrow();
    assertThat(stat.pgrp()).isNotEqualTo(jvm.pgrp());
    assertThat(stat.session()).isNotEqualTo(jvm.session());
  }

  @Test
  @DisplayName("A finished child is reaped: no zombie is left in /proc")
  void noZombie() {
    ProcessResult result = runner.run(ProcessSpec.of("/bin/sh", "-c", "exit 3"));
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(ChildProcesses.procEntryExists(result.pid())).isFalse();
  }
}
