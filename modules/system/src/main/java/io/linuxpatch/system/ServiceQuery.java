package io.linuxpatch.system;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.process.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Asks the host's service manager for the state of one service (endpoint 17). A failed stage carries a
 * {@link ServiceQueryException} with the API error code.
 */
interface ServiceQuery {

  CompletionStage<ServiceState> query(UnitName name);

  /**
   * The query for the init system running now: systemd when its runtime directory exists (sd_booted(3)),
   * else OpenRC when rc-service is installed, else one that always answers BACKEND_UNAVAILABLE.
   */
  static ServiceQuery detect(HostPaths paths, ProcessRunner runner) {
    Optional<Path> systemctl = HostPaths.firstExecutable(paths.systemctl());
    if (Files.isDirectory(paths.systemdRuntimeDir()) && systemctl.isPresent()) {
      return new SystemdServiceQuery(systemctl.get(), runner);
    }
    Optional<Path> rcService = HostPaths.firstExecutable(paths.rcService());
    if (rcService.isPresent()) {
      return new OpenRcServiceQuery(rcService.get(), paths.openRcRunlevels(), runner);
    }
    return name -> CompletableFuture.failedFuture(new ServiceQueryException(ErrorCode.BACKEND_UNAVAILABLE,
        "no service manager (systemd or OpenRC) is running on this host"));
  }
}
