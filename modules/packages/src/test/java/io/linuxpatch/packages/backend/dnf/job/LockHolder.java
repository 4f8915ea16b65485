package io.linuxpatch.packages.backend.dnf.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.linuxpatch.packages.backend.dnf.sandbox.DnfSandbox;
import io.linuxpatch.packages.backend.dnf.sandbox.RpmSpec;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import io.linuxpatch.process.RunningProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real second dnf holding the sandbox's rpm lock: it installs a package whose {@code %pre} blocks reading a
 * FIFO in the root, so dnf sits inside its transaction with {@code var/lib/dnf/rpmdb_lock.pid} taken until
 * {@link #release()} writes a line into the FIFO. No busy loop, no sleep.
 */
final class LockHolder implements AutoCloseable {

  private final Path fifo;
  private final RunningProcess dnf;

  private LockHolder(Path fifo, RunningProcess dnf) {
    this.fifo = fifo;
    this.dnf = dnf;
  }

  /** Builds {@code packageName} into the sandbox, starts dnf installing it, and waits until dnf holds the lock. */
  static LockHolder start(DnfSandbox sandbox, ProcessRunner runner, String packageName) throws IOException {
    String inRoot = "/var/tmp/" + packageName + ".fifo";
    sandbox.addPackages(RpmSpec.of(packageName, "1.0", "1", "holds the rpm lock until released")
        .withScriptlet(RpmSpec.Scriptlet.PRE, "read line < " + inRoot + "\n"));
    Path fifo = sandbox.root().resolve(inRoot.substring(1));
    Files.createDirectories(fifo.getParent());
    ProcessResult made = runner.run(ProcessSpec.of("/usr/bin/mkfifo", fifo.toString()));
    assertThat(made.succeeded()).as(made.stderr().text()).isTrue();
    RunningProcess dnf = runner.start(sandbox.dnf("-C", "-y", "install", "--", packageName));
    Path lockFile = sandbox.root().resolve("var/lib/dnf/rpmdb_lock.pid");
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(lockFile)
        && Files.readString(lockFile).strip().equals(Long.toString(dnf.pid())));
    return new LockHolder(fifo, dnf);
  }

  long pid() {
    return dnf.pid();
  }

  /** Lets the %pre read its line: dnf finishes its transaction and gives the lock up. */
  ProcessResult release() {
    CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
      try (OutputStream out = Files.newOutputStream(fifo)) {
        out.write("go\n".getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      written.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      unblockWriter();
      throw new AssertionError("the lock holder's scriptlet never read the FIFO", e);
    }
    return dnf.result().orTimeout(60, TimeUnit.SECONDS).join();
  }

  @Override
  public void close() {
    if (!dnf.result().isDone()) {
      dnf.cancel();
      unblockWriter();
    }
  }

  /** Opening the FIFO for reading completes a writer's open that has no reader. */
  private void unblockWriter() {
    CompletableFuture.runAsync(() -> {
      try (InputStream in = Files.newInputStream(fifo)) {
        in.readAllBytes();
      } catch (IOException e) {
        // nothing left to unblock
      }
    }).completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
  }
}
