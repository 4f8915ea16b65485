package io.linuxpatch.packages.backend.pacman.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.linuxpatch.packages.backend.pacman.HostPacmanStateGuard;
import io.linuxpatch.packages.backend.pacman.PacmanAssumptions;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanSandbox;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.RunningProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** db.lck held by a real pacman transaction: the holder named from /proc, waited for, and a killed pacman's stale lock. */
@ExtendWith(HostPacmanStateGuard.class)
class PacmanLockTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();

  @TempDir
  Path dir;
  PacmanSandbox sandbox;
  PacmanLock lock;
  GatedTransaction gated;

  @BeforeEach
  void createSandbox() throws Exception {
    PacmanAssumptions.assumeSandboxPossible();
    sandbox = PacmanSandbox.createDemo(dir.resolve("pacman"), RUNNER);
    lock = new PacmanLock(sandbox.dbPath());
    gated = GatedTransaction.prepare(sandbox, RUNNER);
  }

  @Test
  @DisplayName("A running transaction holds db.lck: the holder's pid and name come from /proc; a second pacman refuses at once; the wait ends when it finishes")
  void heldAndWaitedFor() throws Exception {
    assertThat(lock.inspect()).isEqualTo(new PacmanLock.Free());
    RunningProcess holder = gated.start(RUNNER, null);

    await().atMost(30, TimeUnit.SECONDS).until(() -> lock.inspect() instanceof PacmanLock.Held);
    assertThat(lock.inspect()).isEqualTo(new PacmanLock.Held(holder.pid(), "pacman"));
    assertThat(lock.describe(lock.inspect())).isEqualTo("waiting for the pacman database lock "
        + sandbox.lockFile() + ", held by process " + holder.pid() + " (pacman)");

    ProcessResult second = sandbox.pacman("--noconfirm", "-S", "--", "demo-app");
    assertThat(second.exitCode()).isEqualTo(1);
    assertThat(second.stderr().text()).contains("error: could not lock database: File exists");

    List<PacmanLock.State> heard = new CopyOnWriteArrayList<>();
    CompletableFuture<PacmanLock.State> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return lock.awaitFree(Duration.ofSeconds(60), Duration.ofMillis(50), heard::add);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(30, TimeUnit.SECONDS).until(() -> !heard.isEmpty());
    assertThat(waiting).isNotDone();
    gated.release();

    assertThat(waiting.get(60, TimeUnit.SECONDS)).isEqualTo(new PacmanLock.Free());
    assertThat(heard).containsExactly(new PacmanLock.Held(holder.pid(), "pacman"));
    assertThat(holder.await().exitCode()).isZero();
    assertThat(sandbox.pacman("-Q", "demo-gate").succeeded()).isTrue();
  }

  @Test
  @DisplayName("A pacman killed mid-transaction (SIGTERM) leaves a stale db.lck; removeIfStale clears it, and pacman works again")
  void killedLeavesStaleLock() throws Exception {
    RunningProcess holder = gated.start(RUNNER, null);
    await().atMost(30, TimeUnit.SECONDS).until(() -> lock.inspect() instanceof PacmanLock.Held);
    assertThat(lock.removeIfStale()).as("never while held").isFalse();

    holder.cancel();
    ProcessResult killed = holder.await();
    assertThat(killed.cancelled()).isTrue();

    assertThat(sandbox.lockFile()).exists();
    assertThat(lock.inspect()).isInstanceOf(PacmanLock.Stale.class);
    assertThat(lock.awaitFree(Duration.ofMillis(300), Duration.ofMillis(50), s -> { }))
        .as("a stale lock never frees itself").isInstanceOf(PacmanLock.Stale.class);
    assertThat(sandbox.pacman("--noconfirm", "-S", "--", "demo-app").stderr().text())
        .contains("error: could not lock database: File exists");

    assertThat(lock.removeIfStale()).isTrue();
    assertThat(Files.exists(sandbox.lockFile())).isFalse();
    assertThat(sandbox.pacman("--noconfirm", "-S", "--", "demo-app").exitCode()).isZero();
  }
}
