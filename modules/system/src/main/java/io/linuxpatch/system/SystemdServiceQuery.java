package io.linuxpatch.system;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.process.ProcessLaunchException;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Reads a unit's state with {@code systemctl show}, which answers from systemd's memory and changes nothing. */
final class SystemdServiceQuery implements ServiceQuery {

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Path systemctl;
  private final ProcessRunner runner;

  SystemdServiceQuery(Path systemctl, ProcessRunner runner) {
    this.systemctl = systemctl;
    this.runner = runner;
  }

  /** The exact argv: the name after {@code --}, so even a name that passed validation is never an option. */
  List<String> argv(UnitName name) {
    return List.of(systemctl.toString(), "show", "--no-pager", "--property=" + SystemctlShow.PROPERTIES,
        "--", name.value());
  }

  @Override
  public CompletionStage<ServiceState> query(UnitName name) {
    ProcessSpec spec = ProcessSpec.of(argv(name))
        .withTimeout(TIMEOUT)
        .withKillGrace(Duration.ofSeconds(2))
        .withOutputLimit(64 * 1024);
    try {
      return runner.start(spec).result().thenApply(result -> interpret(name, result));
    } catch (ProcessLaunchException e) {
      return CompletableFuture.failedFuture(
          new ServiceQueryException(ErrorCode.BACKEND_UNAVAILABLE, "cannot run systemctl: " + e.getMessage()));
    }
  }

  private static ServiceState interpret(UnitName name, ProcessResult result) {
    if (result.timedOut()) {
      throw new ServiceQueryException(ErrorCode.TIMEOUT,
          "systemctl show did not answer within " + TIMEOUT.toSeconds() + " s; systemd may be busy or hung");
    }
    if (result.exitCode() != 0) {
      String why = lastLine(result.stderr().text());
      if (why.contains("is not valid")) {
        // systemd's own unit-name rules are stricter than our character check (e.g. a lone "@").
        throw new ServiceQueryException(ErrorCode.INVALID_REQUEST, name.value() + " is not a valid unit name");
      }
      throw new ServiceQueryException(ErrorCode.BACKEND_UNAVAILABLE,
          "systemctl show failed with exit code " + result.exitCode() + ": " + why);
    }
    return SystemctlShow.parse(name.value(), result.stdout().text());
  }

  static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1].strip();
  }
}
