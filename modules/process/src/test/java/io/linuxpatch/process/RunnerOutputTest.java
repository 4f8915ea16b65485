package io.linuxpatch.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Real children: exit codes, bounded output, line listener and stdin. */
class RunnerOutputTest {

  private final ProcessRunner runner = ProcessRunner.create();

  @Test
  @DisplayName("Exit codes propagate: 0 is success, 42 is reported as 42 with outcome EXITED")
  void exitCodes() {
    ProcessResult ok = runner.run(ProcessSpec.of("/bin/true"));
    assertThat(ok.exitCode()).isZero();
    assertThat(ok.succeeded()).isTrue();

    ProcessResult failed = runner.run(ProcessSpec.of("/bin/sh", "-c", "echo oops >&2; exit 42"));
    assertThat(failed.exitCode()).isEqualTo(42);
    assertThat(failed.outcome()).isEqualTo(ProcessOutcome.EXITED);
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.stderr().text()).isEqualTo("oops\n");
    assertThat(failed.duration()).isPositive();
  }

  @Test
  @DisplayName("Large output keeps only the last bytes of each pipe and says it was truncated")
  void outputBoundKeepsTail() {
    ProcessResult result = runner.run(ProcessSpec.of("/bin/sh", "-c",
            "i=0; while [ $i -lt 20000 ]; do echo line$i; echo err$i >&2; i=$((i+1)); done")
        .withOutputLimits(1000, 200));

    assertThat(result.stdout().truncated()).isTrue();
    assertThat(result.stdout().text().length()).isLessThanOrEqualTo(1000);
    assertThat(result.stdout().text()).startsWith("line").endsWith("line19999\n");
    assertThat(result.stdout().totalBytes()).isGreaterThan(100_000);
    assertThat(result.stderr().text().length()).isLessThanOrEqualTo(200);
    assertThat(result.stderr().text()).startsWith("err").endsWith("err19999\n");
    assertThat(result.truncated()).isTrue();
  }

  @Test
  @DisplayName("A runaway writer cannot grow memory: /usr/bin/yes for a second leaves at most the bound")
  void runawayOutputIsBounded() {
    ProcessResult result = runner.run(ProcessSpec.of("/usr/bin/yes")
        .withOutputLimit(4096).withTimeout(Duration.ofMillis(700)).withKillGrace(Duration.ofSeconds(2)));

    assertThat(result.timedOut()).isTrue();
    assertThat(result.stdout().text().length()).isLessThanOrEqualTo(4096);
    assertThat(result.stdout().totalBytes()).isGreaterThan(4096);
    assertThat(result.stdout().text()).endsWith("y\n");
  }

  @Test
  @DisplayName("The line listener sees every line of both pipes in order, without line terminators")
  void listenerSeesLines() {
    List<String> lines = new CopyOnWriteArrayList<>();
    ProcessResult result = runner.run(ProcessSpec.of("/bin/sh", "-c",
            "printf 'pmstatus:apt:10:one\\r\\npmstatus:apt:50:two\\n'; echo warn >&2; printf 'last-without-newline'")
        .withListener((channel, line) -> lines.add(channel + " " + line)));

    assertThat(result.succeeded()).isTrue();
    assertThat(lines).containsSubsequence("STDOUT pmstatus:apt:10:one", "STDOUT pmstatus:apt:50:two",
        "STDOUT last-without-newline");
    assertThat(lines).contains("STDERR warn");
  }

  @Test
  @DisplayName("A listener that throws does not stop the capture")
  void failingListener() {
    ProcessResult result = runner.run(ProcessSpec.of("/bin/sh", "-c", "echo a; echo b")
        .withListener((channel, line) -> {
          throw new IllegalStateException("listener bug");
        }));
    assertThat(result.stdout().text()).isEqualTo("a\nb\n");
  }

  @Test
  @DisplayName("Without input stdin is closed at once (cat ends), with input the child reads exactly it")
  void stdin() {
    ProcessResult closed = runner.run(ProcessSpec.of("/bin/cat").withTimeout(Duration.ofSeconds(10)));
    assertThat(closed.succeeded()).isTrue();
    assertThat(closed.stdout().text()).isEmpty();

    ProcessResult fed = runner.run(ProcessSpec.of("/bin/cat")
        .withStdin("hold apt\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(fed.stdout().text()).isEqualTo("hold apt\n");
  }
}
