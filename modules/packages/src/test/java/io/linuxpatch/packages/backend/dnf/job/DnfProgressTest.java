package io.linuxpatch.packages.backend.dnf.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.linuxpatch.packages.backend.dnf.DnfTools;
import io.linuxpatch.packages.backend.dnf.HostRpmStateGuard;
import io.linuxpatch.packages.backend.dnf.sandbox.DnfSandbox;
import io.linuxpatch.packages.job.JobLog;
import io.linuxpatch.process.OutputChannel;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.RunningProcess;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** dnf's non-terminal progress lines and its lock wait, on lines captured from dnf 4.14 and on a real second dnf. */
@ExtendWith(HostRpmStateGuard.class)
class DnfProgressTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();

  /** `dnf -y install demo-app demo-weak demo-big` from an http:// repository, stdout to a pipe (captured here). */
  static final String INSTALL_OUTPUT = """
      Dependencies resolved.
      ================================================================================
       Package              Architecture      Version           Repository       Size
      ================================================================================
      Installing:
       demo-app             noarch            2.0-1             demo            6.1 k
       demo-big             noarch            1.0-1             demo            1.9 M
       demo-weak            noarch            1.0-1             demo            6.0 k
      Installing dependencies:
       demo-lib             noarch            2.0-1             demo            6.1 k

      Transaction Summary
      ================================================================================
      Install  4 Packages

      Total download size: 1.9 M
      Installed size: 1.9 M
      Downloading Packages:
      (1/4): demo-lib-2.0-1.noarch.rpm                2.7 MB/s | 6.1 kB     00:00
      (2/4): demo-app-2.0-1.noarch.rpm                1.1 MB/s | 6.1 kB     00:00
      (3/4): demo-big-1.0-1.noarch.rpm                189 MB/s | 1.9 MB     00:00
      (4/4): demo-weak-1.0-1.noarch.rpm               1.0 MB/s | 6.0 kB     00:00
      --------------------------------------------------------------------------------
      Total                                           159 MB/s | 1.9 MB     00:00
      Running transaction check
      Transaction check succeeded.
      Running transaction test
      Transaction test succeeded.
      Running transaction
        Preparing        :                                                        1/1
        Installing       : demo-lib-2.0-1.noarch                                  1/4
        Installing       : demo-app-2.0-1.noarch                                  2/4
        Installing       : demo-weak-1.0-1.noarch                                 3/4
        Running scriptlet: demo-weak-1.0-1.noarch                                 3/4
        Installing       : demo-big-1.0-1.noarch                                  4/4
        Verifying        : demo-app-2.0-1.noarch                                  1/4
        Verifying        : demo-big-1.0-1.noarch                                  2/4
        Verifying        : demo-lib-2.0-1.noarch                                  3/4
        Verifying        : demo-weak-1.0-1.noarch                                 4/4

      Installed:
        demo-app-2.0-1.noarch      demo-big-1.0-1.noarch      demo-lib-2.0-1.noarch
        demo-weak-1.0-1.noarch

      Complete!
      """;

  @TempDir
  static Path dir;
  static DnfSandbox sandbox;

  final JobLog log = new JobLog();
  final List<JsonObject> sent = Collections.synchronizedList(new ArrayList<>());
  final AtomicLong clock = new AtomicLong();

  @BeforeAll
  static void create() {
    DnfTools.assumeDnfSandboxTools();
    sandbox = DnfSandbox.create(dir, RUNNER);
  }

  @Test
  @DisplayName("downloads fill 0-20, rpm's elements 20-90, verification 90-100; an unchanged value is not repeated; all lines logged")
  void progressFromRealOutput(@TempDir Path proc) {
    DnfProgress progress = new DnfProgress(log, sent::add, clock::get, proc);
    for (String line : INSTALL_OUTPUT.split("\n")) {
      clock.addAndGet(DnfProgress.MIN_INTERVAL_NANOS);
      progress.onLine(OutputChannel.STDOUT, line);
    }

    assertThat(sent).extracting(j -> j.getInteger("progress"))
        .containsExactly(5, 10, 15, 20, 37, 55, 72, 90, 92, 95, 97, 100)
        .isSorted();
    assertThat(sent.get(0).getString("message")).isEqualTo("Downloading 1/4: demo-lib-2.0-1.noarch.rpm");
    assertThat(sent).extracting(j -> j.getString("message")).contains("Installing demo-lib-2.0-1.noarch",
        "Verifying demo-weak-1.0-1.noarch");
    assertThat(log.lines()).contains("Running transaction", "Complete!");
    assertThat(progress.lockWait()).isEmpty();
  }

  @Test
  @DisplayName("lines faster than 10/s are throttled, and flush() sends what the throttle held back")
  void throttled(@TempDir Path proc) {
    DnfProgress progress = new DnfProgress(log, sent::add, clock::get, proc);
    for (int i = 1; i <= 100; i++) {
      clock.addAndGet(DnfProgress.MIN_INTERVAL_NANOS / 10);
      progress.onLine(OutputChannel.STDOUT, "  Installing       : p" + i + "-1-1.noarch        " + i + "/100");
    }
    assertThat(sent).hasSizeBetween(10, 12);
    progress.flush();
    assertThat(sent.get(sent.size() - 1).getInteger("progress")).isEqualTo(90);
  }

  @Test
  @DisplayName("the lock-wait line is said at once with the holder's /proc comm; the next stdout line ends the wait")
  void lockWaitLine(@TempDir Path proc) throws Exception {
    Files.createDirectories(proc.resolve("4242"));
    Files.writeString(proc.resolve("4242/comm"), "dnf\n");
    DnfProgress progress = new DnfProgress(log, sent::add, clock::get, proc);
    progress.onLine(OutputChannel.STDOUT, "Running transaction check");
    clock.addAndGet(1);
    progress.onLine(OutputChannel.STDOUT, "Waiting for process with pid 4242 to finish.");
    clock.addAndGet(Duration.ofSeconds(7).toNanos());

    assertThat(sent.get(sent.size() - 1).getString("message"))
        .isEqualTo("waiting for the package manager lock held by process 4242 (dnf)");
    assertThat(progress.lockWait()).hasValueSatisfying(w -> assertThat(w.pid()).isEqualTo(4242));
    assertThat(progress.lockWaitedFor()).isEqualTo(Duration.ofSeconds(7));
    progress.onLine(OutputChannel.STDERR, "a late stderr line");
    assertThat(progress.lockWait()).isPresent();
    progress.onLine(OutputChannel.STDOUT, "Transaction check succeeded.");
    assertThat(progress.lockWait()).isEmpty();
    assertThat(progress.lockWaitedFor()).isZero();
  }

  @Test
  @DisplayName("a real second dnf: the waiter names the holder's pid and 'dnf' at once, simulations don't wait, release → both done")
  void realLockHolder() throws Exception {
    DnfProgress progress = new DnfProgress(log, sent::add);
    try (LockHolder holder = LockHolder.start(sandbox, RUNNER, "demo-hold-progress")) {
      RunningProcess waiter = RUNNER.start(sandbox.dnf("-C", "-y", "install", "--", "demo-lib").withListener(progress));

      await().atMost(Duration.ofSeconds(60)).until(() -> progress.lockWait().isPresent());
      assertThat(progress.lockWait().get().pid()).isEqualTo(holder.pid());
      assertThat(progress.lockWait().get().command()).isEqualTo("dnf");
      assertThat(sent).extracting(j -> j.getString("message"))
          .contains("waiting for the package manager lock held by process " + holder.pid() + " (dnf)");
      await().atMost(Duration.ofSeconds(30)).until(() -> progress.lockWaitedFor().compareTo(Duration.ofMillis(500)) > 0);
      ProcessResult simulation = RUNNER.run(sandbox.dnf("-C", "--assumeno", "install", "--", "demo-app"));
      assertThat(simulation.exitCode()).as("a simulation while the lock is held").isEqualTo(1);
      assertThat(simulation.stdout().text()).contains("Installing dependencies:");
      assertThat(waiter.result()).isNotDone();

      assertThat(holder.release().exitCode()).isZero();
      ProcessResult waited = waiter.result().get(60, TimeUnit.SECONDS);
      progress.flush();
      assertThat(waited.exitCode()).as(waited.stderr().text()).isZero();
    }
    assertThat(progress.lockWait()).isEmpty();
    assertThat(progress.progress()).isEqualTo(100);
    assertThat(sent).extracting(j -> j.getInteger("progress")).isSorted();
  }
}
