package io.linuxpatch.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ExitCodesTest {

  private static HostResult result(Outcome outcome) {
    return HostResult.of(new Host("https://h"), outcome, null);
  }

  @Test
  @DisplayName("exit codes say the worst that happened: stopped 5, failed 4, skipped 3, done 0")
  void worstWins() {
    assertThat(ExitCodes.of(List.of(result(Outcome.COMPLETED), result(Outcome.NOTHING_TO_DO)))).isZero();
    assertThat(ExitCodes.of(List.of(result(Outcome.COMPLETED), result(Outcome.STALE)))).isEqualTo(3);
    assertThat(ExitCodes.of(List.of(result(Outcome.UNREACHABLE), result(Outcome.REFUSED)))).isEqualTo(4);
    assertThat(ExitCodes.of(new Rollout.Report(List.of(result(Outcome.FAILED), result(Outcome.NOT_STARTED)), true)))
        .isEqualTo(5);
  }

  @Test
  @DisplayName("a progress bar fills in proportion, and never beyond its width")
  void bar() {
    assertThat(TerminalBars.bar(0)).isEqualTo("[" + "-".repeat(24) + "]");
    assertThat(TerminalBars.bar(50)).isEqualTo("[" + "#".repeat(12) + "-".repeat(12) + "]");
    assertThat(TerminalBars.bar(140)).isEqualTo("[" + "#".repeat(24) + "]");
  }
}
