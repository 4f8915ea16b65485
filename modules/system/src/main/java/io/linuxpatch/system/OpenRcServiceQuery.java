package io.linuxpatch.system;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.process.ProcessLaunchException;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Reads a service's state with {@code rc-service NAME status} on OpenRC hosts (Alpine, Gentoo). */
final class OpenRcServiceQuery implements ServiceQuery {

  private final Path rcService;
  private final Path runlevels;
  private final ProcessRunner runner;

  OpenRcServiceQuery(Path rcService, Path runlevels, ProcessRunner runner) {
    this.rcService = rcService;
    this.runlevels = runlevels;
    this.runner = runner;
  }

  @Override
  public CompletionStage<ServiceState> query(UnitName name) {
    // rc-service takes no "--"; UnitName already guarantees the name cannot start with "-".
    ProcessSpec spec = ProcessSpec.of(rcService.toString(), name.value(), "status")
        .withTimeout(SystemdServiceQuery.TIMEOUT)
        .withKillGrace(Duration.ofSeconds(2))
        .withOutputLimit(64 * 1024);
    try {
      return runner.start(spec).result().thenApply(result -> interpret(name, result));
    } catch (ProcessLaunchException e) {
      return CompletableFuture.failedFuture(
          new ServiceQueryException(ErrorCode.BACKEND_UNAVAILABLE, "cannot run rc-service: " + e.getMessage()));
    }
  }

  private ServiceState interpret(UnitName name, ProcessResult result) {
    if (result.timedOut()) {
      throw new ServiceQueryException(ErrorCode.TIMEOUT, "rc-service " + name.value() + " status did not answer within "
          + SystemdServiceQuery.TIMEOUT.toSeconds() + " s");
    }
    // Its exit code encodes the state (0 started, 3 stopped...), so the printed status line decides.
    return OpenRcStatus.parse(name.value(), result.stdout().text() + "\n" + result.stderr().text(), runlevels);
  }
}
