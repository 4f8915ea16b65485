package io.linuxpatch.packages.backend.pacman.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.pacman.HostPacmanStateGuard;
import io.linuxpatch.packages.backend.pacman.PacmanAssumptions;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanDemoPackages;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanSandbox;
import io.linuxpatch.packages.job.JobLog;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** PacmanProgress attached to real pacman runs on the sandbox (a post-transaction hook included). */
@ExtendWith(HostPacmanStateGuard.class)
class PacmanProgressSandboxTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();

  @TempDir
  Path dir;
  PacmanSandbox sandbox;

  @BeforeEach
  void createSandbox() throws Exception {
    PacmanAssumptions.assumeSandboxPossible();
    sandbox = PacmanSandbox.createDemo(dir.resolve("pacman"), RUNNER);
    // hooks run chrooted like scriptlets, through sandbox-sh
    Files.writeString(sandbox.root().resolve("etc/pacman.d/hooks/demo.hook"), """
        [Trigger]
        Operation = Install
        Operation = Upgrade
        Operation = Remove
        Type = Package
        Target = *

        [Action]
        Description = Recording the transaction...
        When = PostTransaction
        Exec = /bin/sh -c "echo hook ran"
        """);
  }

  @Test
  @DisplayName("A real -Su: progress only grows through every phase to the hooks, names each upgrade, logs every line")
  void systemUpgrade() {
    List<JsonObject> sent = new CopyOnWriteArrayList<>();
    JobLog log = new JobLog();
    PacmanProgress progress = new PacmanProgress(log, sent::add);

    ProcessResult result = run(progress, "--noconfirm", "-Su");
    progress.flush();

    assertThat(result.exitCode()).as(result.stderr().text()).isZero();
    assertThat(sent).isNotEmpty();
    assertThat(sent).extracting(j -> j.getInteger("progress")).isSorted();
    assertThat(progress.progress()).isEqualTo(95);
    assertThat(sent.get(sent.size() - 1).getInteger("progress")).isEqualTo(95);
    assertThat(log.lines()).contains("upgrading demo-ssl...", "upgrading demo-tool...", "(1/1) Recording the transaction...",
        "hook ran");
    assertThat(progress.scriptletFailed()).isFalse();
  }

  @Test
  @DisplayName("A real run refused by an existing db.lck, and one whose scriptlet fails, are flagged")
  void flags() throws Exception {
    Files.createFile(sandbox.lockFile());
    PacmanProgress locked = new PacmanProgress(new JobLog(), j -> { });
    assertThat(run(locked, "--noconfirm", "-S", "--", "demo-app").exitCode()).isEqualTo(1);
    assertThat(locked.lockRefused()).isTrue();
    Files.delete(sandbox.lockFile());

    sandbox.publish(List.of(PacmanDemoPackages.failingScriptlet("demo-broken", "1.0-1")));
    PacmanProgress broken = new PacmanProgress(new JobLog(), j -> { });
    assertThat(run(broken, "--noconfirm", "-S", "--", "demo-broken").exitCode()).isZero();
    assertThat(broken.scriptletFailed()).isTrue();
    assertThat(broken.lockRefused()).isFalse();
  }

  private ProcessResult run(PacmanProgress listener, String... args) {
    List<String> argv = new ArrayList<>(List.of(PacmanSandbox.PACMAN.toString()));
    argv.addAll(sandbox.pacmanOptions());
    argv.addAll(List.of(args));
    return RUNNER.run(ProcessSpec.of(argv).withListener(listener));
  }
}
