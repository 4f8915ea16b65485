package io.linuxpatch.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real children: timeout and cancel terminate the whole process group. */
@Timeout(60)
class RunnerTerminationTest {

  private final ProcessRunner runner = ProcessRunner.create();

  /** Collects the pids a test script prints as "pid N", to check afterwards that they are gone. */
  private static OutputListener pidCollector(List<Long> pids) {
    return (channel, line) -> {
      if (line.startsWith("pid ")) {
        pids.add(Long.parseLong(line.substring(4).trim()));
      }
    };
  }

  @Test
  @DisplayName("On timeout SIGTERM reaches the whole group: the child and a background grandchild are gone")
  void timeoutKillsGroupWithGrandchild() {
    List<Long> pids = new CopyOnWriteArrayList<>();
    ProcessResult result = runner.run(ProcessSpec.of("/bin/sh", "-c",
            "sleep 300 & echo pid $!; echo pid $$; sleep 300")
        .withTimeout(Duration.ofMillis(800)).withKillGrace(Duration.ofSeconds(5))
        .withListener(pidCollector(pids)));

    assertThat(result.timedOut()).isTrue();
    assertThat(result.killed()).as("plain sleeps die on SIGTERM, no SIGKILL needed").isFalse();
    assertThat(result.exitCode()).isEqualTo(128 + 15);
    assertThat(result.duration()).isLessThan(Duration.ofSeconds(5));
    assertThat(pids).hasSize(2).contains(result.pid());
    assertThat(pids).noneMatch(ChildProcesses::alive);
    assertThat(new ProcessGroup(result.pid(), null).livingMembers()).isEmpty();
  }

  @Test
  @DisplayName("A group that ignores SIGTERM is SIGKILLed after the grace period, grandchild included")
  void termIgnoringGroupIsKilled() {
    List<Long> pids = new CopyOnWriteArrayList<>();
    Duration grace = Duration.ofMillis(700);
    ProcessResult result = runner.run(ProcessSpec.of("/bin/sh", "-c",
            "trap '' TERM; sleep 300 & echo pid $!; echo pid $$; sleep 300")
        .withTimeout(Duration.ofMillis(500)).withKillGrace(grace)
        .withListener(pidCollector(pids)));

    assertThat(result.timedOut()).isTrue();
    assertThat(result.killed()).isTrue();
    assertThat(result.exitCode()).isEqualTo(128 + 9);
    assertThat(result.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(500).plus(grace));
    assertThat(pids).hasSize(2).noneMatch(ChildProcesses::alive);
    assertThat(new ProcessGroup(result.pid(), null).livingMembers()).isEmpty();
  }

  @Test
  @DisplayName("cancel() terminates a running child's group at once and the result says cancelled")
  void cancel() throws Exception {
    List<Long> pids = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    RunningProcess running = runner.start(ProcessSpec.of("/bin/sh", "-c",
            "sleep 300 & echo pid $!; echo ready; sleep 300")
        .withListener((channel, line) -> {
          pidCollector(pids).onLine(channel, line);
          if (line.equals("ready")) {
            ready.complete(null);
          }
        }));
    ready.get(10, TimeUnit.SECONDS);

    running.cancel();
    running.cancel();
    ProcessResult result = running.result().get(10, TimeUnit.SECONDS);

    assertThat(result.cancelled()).isTrue();
    assertThat(result.timedOut()).isFalse();
    assertThat(result.killed()).isFalse();
    assertThat(pids).hasSize(1).noneMatch(ChildProcesses::alive);
    assertThat(ChildProcesses.alive(running.pid())).isFalse();
  }

  @Test
  @DisplayName("cancel() right after start still stops the child, even before setsid has made the group")
  void cancelImmediately() throws Exception {
    RunningProcess running = runner.start(ProcessSpec.of("/bin/sleep", "300"));
    running.cancel();
    ProcessResult result = running.result().get(20, TimeUnit.SECONDS);
    assertThat(result.cancelled()).isTrue();
    assertThat(ChildProcesses.alive(result.pid())).isFalse();
  }

  @Test
  @DisplayName("cancel() after the child exited changes nothing: the outcome stays EXITED")
  void cancelAfterExit() {
    RunningProcess running = runner.start(ProcessSpec.of("/bin/true"));
    ProcessResult result = running.await();
    running.cancel();
    assertThat(result.outcome()).isEqualTo(ProcessOutcome.EXITED);
  }

  @Test
  @DisplayName("A child that exits leaving a background process on its pipe is answered without waiting for it, "
      + "and that process is left alone")
  void leftoverHoldingThePipe() {
    List<Long> pids = new CopyOnWriteArrayList<>();
    long started = System.nanoTime();
    ProcessResult result = runner.run(ProcessSpec.of("/bin/sh", "-c", "sleep 4 & echo pid $!; echo done")
        .withListener(pidCollector(pids)));
    Duration waited = Duration.ofNanos(System.nanoTime() - started);

    assertThat(result.outcome()).isEqualTo(ProcessOutcome.EXITED);
    assertThat(result.stdout().text()).endsWith("done\n");
    assertThat(waited).isLessThan(Duration.ofMillis(3500));
    assertThat(pids).hasSize(1).allMatch(ChildProcesses::alive);
  }
}
