package io.linuxpatch.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Parsing of /proc/PID/stat and refusal of special group ids. */
class ProcStatTest {

  @Test
  @DisplayName("/proc/PID/stat is parsed after the last parenthesis, so a command name with spaces and ')' is safe")
  void oddCommandName() {
    ProcessGroup.ProcStat stat = ProcessGroup.ProcStat
        .parse("4242 (evil) Z 1 7 ) S 1 4242 4242 0 -1 4194560 0 0 0 0").orElseThrow();
    assertThat(stat.pid()).isEqualTo(4242);
    assertThat(stat.state()).isEqualTo('S');
    assertThat(stat.pgrp()).isEqualTo(4242);
    assertThat(stat.session()).isEqualTo(4242);
    assertThat(stat.dead()).isFalse();
  }

  @Test
  @DisplayName("A zombie counts as dead, and garbage is skipped rather than thrown")
  void zombieAndGarbage() {
    assertThat(ProcessGroup.ProcStat.parse("12 (sleep) Z 1 12 12 0").orElseThrow().dead()).isTrue();
    assertThat(ProcessGroup.ProcStat.parse("no parenthesis here")).isEmpty();
  }

  @Test
  @DisplayName("Group ids 0 and 1 are refused: kill(-1) or kill(0) would hit far more than a child")
  void refusesSpecialGroups() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ProcessGroup(1, null))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ProcessGroup(0, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
