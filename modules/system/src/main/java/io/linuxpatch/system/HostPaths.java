package io.linuxpatch.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where SystemVerticle looks for host facts and service managers. Production uses {@link #standard()};
 * tests point each entry at files they wrote, so no test depends on the machine it runs on.
 *
 * @param osRelease         os-release(5) files, first existing wins
 * @param machineId         machine-id files, first existing wins
 * @param systemdRuntimeDir exists exactly when systemd is the running init (sd_booted(3))
 * @param systemctl         systemctl binaries, first executable wins
 * @param rcService         OpenRC's rc-service binaries, first executable wins
 * @param openRcRunlevels   OpenRC's runlevel directory, which tells whether a service is enabled
 */
public record HostPaths(
    List<Path> osRelease,
    List<Path> machineId,
    Path systemdRuntimeDir,
    List<Path> systemctl,
    List<Path> rcService,
    Path openRcRunlevels) {

  public HostPaths {
    osRelease = List.copyOf(osRelease);
    machineId = List.copyOf(machineId);
    systemctl = List.copyOf(systemctl);
    rcService = List.copyOf(rcService);
  }

  public static HostPaths standard() {
    return new HostPaths(
        List.of(Path.of("/etc/os-release"), Path.of("/usr/lib/os-release")),
        List.of(Path.of("/etc/machine-id"), Path.of("/var/lib/dbus/machine-id")),
        Path.of("/run/systemd/system"),
        List.of(Path.of("/usr/bin/systemctl"), Path.of("/bin/systemctl")),
        List.of(Path.of("/sbin/rc-service"), Path.of("/usr/sbin/rc-service"), Path.of("/bin/rc-service")),
        Path.of("/etc/runlevels"));
  }

  /** The same paths with the os-release file replaced (tests). */
  public HostPaths withOsRelease(Path file) {
    return new HostPaths(List.of(file), machineId, systemdRuntimeDir, systemctl, rcService, openRcRunlevels);
  }

  /** The same paths with the service-manager locations replaced (tests). */
  public HostPaths withServiceManagers(Path systemdRuntime, List<Path> systemctlBinaries, List<Path> rcServiceBinaries) {
    return new HostPaths(osRelease, machineId, systemdRuntime, systemctlBinaries, rcServiceBinaries,
        openRcRunlevels);
  }

  static Optional<Path> firstExisting(List<Path> candidates) {
    return candidates.stream().filter(Files::isRegularFile).findFirst();
  }

  static Optional<Path> firstExecutable(List<Path> candidates) {
    return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
  }
}
