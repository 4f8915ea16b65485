package io.linuxpatch.packages.backend.pacman.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.pacman.sandbox.PacmanPackageSpec;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanSandbox;
import io.linuxpatch.process.OutputListener;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import io.linuxpatch.process.RunningProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A real pacman transaction that holds the database lock until the test lets it go: {@code demo-gate}'s
 * {@code pre_install} reads a line from the FIFO {@code /tmp/gate} inside the sandbox root.
 */
final class GatedTransaction {

  static final String PACKAGE = "demo-gate";

  private final PacmanSandbox sandbox;
  private final Path gate;
  private RunningProcess process;

  private GatedTransaction(PacmanSandbox sandbox) {
    this.sandbox = sandbox;
    this.gate = sandbox.root().resolve("tmp/gate");
  }

  /** Publishes demo-gate and makes the FIFO. */
  static GatedTransaction prepare(PacmanSandbox sandbox, ProcessRunner runner) throws Exception {
    sandbox.publish(List.of(PacmanPackageSpec.of(PACKAGE, "1.0-1", "waits in pre_install until released")
        .withDepends("sh")
        .withInstall("""
            pre_install() {
              read line < /tmp/gate
            }
            """)));
    GatedTransaction transaction = new GatedTransaction(sandbox);
    Files.deleteIfExists(transaction.gate);
    assertThat(runner.run(ProcessSpec.of("/usr/bin/mkfifo", transaction.gate.toString())).succeeded()).isTrue();
    return transaction;
  }

  /** Starts {@code pacman --noconfirm -S -- demo-gate}; it blocks in pre_install holding db.lck. */
  RunningProcess start(ProcessRunner runner, OutputListener listener) {
    List<String> argv = new ArrayList<>(List.of(PacmanSandbox.PACMAN.toString()));
    argv.addAll(sandbox.pacmanOptions());
    argv.addAll(List.of("--noconfirm", "-S", "--", PACKAGE));
    ProcessSpec spec = ProcessSpec.of(argv).withTimeout(Duration.ofMinutes(2)).withKillGrace(Duration.ofSeconds(2));
    process = runner.start(listener == null ? spec : spec.withListener(listener));
    return process;
  }

  /** Lets pre_install finish (opening a FIFO for writing blocks until the reader is there). */
  CompletableFuture<Void> release() {
    return CompletableFuture.runAsync(() -> {
      try {
        Files.writeString(gate, "go\n", StandardCharsets.UTF_8);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
