package io.linuxpatch.system;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;
import oshi.software.os.NetworkParams;
import oshi.software.os.OperatingSystem;

/**
 * Collects the facts of endpoint 9 from OSHI and a few files. Facts that cannot change while the agent runs
 * (machine id, os-release, running kernel, architecture, CPU count, total memory) are read once in the
 * constructor; the rest on every call. Blocking: call it from a worker thread only.
 */
final class SystemFacts {

  /** Resolving the FQDN can wait on DNS for seconds; a host's name is stable enough to reuse it this long. */
  static final Duration FQDN_CACHE = Duration.ofMinutes(5);

  private static final Logger LOG = LoggerFactory.getLogger(SystemFacts.class);

  private final OperatingSystem os;
  private final String machineId;
  private final OsRelease osRelease;
  private final String kernel;
  private final String architecture;
  private final int cpuCount;
  private final long memoryBytes;
  private String fqdnHost;
  private String fqdn;
  private Instant fqdnAt = Instant.EPOCH;

  SystemFacts(HostPaths paths) {
    // OSHI runs `uname -o` and `ldconfig -p` once while its Linux classes initialise; after that every call
    // used here reads /proc or makes a libc call, never a fork.
    SystemInfo si = new SystemInfo();
    this.os = si.getOperatingSystem();
    this.machineId = readMachineId(paths);
    this.osRelease = readOsRelease(paths);
    this.kernel = os.getVersionInfo().getBuildNumber();
    this.architecture = architecture();
    this.cpuCount = si.getHardware().getProcessor().getLogicalProcessorCount();
    this.memoryBytes = si.getHardware().getMemory().getTotal();
  }

  OsRelease osRelease() {
    return osRelease;
  }

  /** The running kernel's release, as {@code uname -r} prints it. */
  String kernel() {
    return kernel;
  }

  /**
   * Endpoint 9 without the parts other modules own (package manager, cache refresh, last patch apply).
   *
   * @param reboot  whether and why a reboot is wanted
   * @param restart what runs deleted files and could be restarted instead
   */
  JsonObject collect(RebootStatus reboot, RestartNeeded restart) {
    NetworkParams net = os.getNetworkParams();
    String hostname = net.getHostName();
    long bootEpoch = os.getSystemBootTime();
    return new JsonObject()
        .put("hostname", hostname)
        .put("fqdn", fqdn(net, hostname))
        .put("machine_id", machineId)
        .put("os", osRelease.toJson())
        .put("kernel", kernel)
        .put("architecture", architecture)
        .put("cpu_count", cpuCount)
        .put("memory_bytes", memoryBytes)
        .put("uptime_seconds", os.getSystemUptime())
        .put("last_boot", bootEpoch > 0 ? Instant.ofEpochSecond(bootEpoch).toString() : null)
        .put("package_manager", null)
        .put("reboot_required", reboot.toJson())
        .put("restart_needed", restart.toJson())
        .put("last_cache_refresh", null)
        .put("last_patch_apply", null)
        .put("api_version", "v1");
  }

  private String fqdn(NetworkParams net, String hostname) {
    Instant now = Instant.now();
    if (fqdn == null || !hostname.equals(fqdnHost) || now.isAfter(fqdnAt.plus(FQDN_CACHE))) {
      String resolved = net.getDomainName();
      // Without a DNS or /etc/hosts entry the canonical name is empty or localhost: the hostname is all there is.
      fqdn = resolved == null || resolved.isBlank() || resolved.startsWith("localhost") ? hostname : resolved;
      fqdnHost = hostname;
      fqdnAt = now;
    }
    return fqdn;
  }

  private static String readMachineId(HostPaths paths) {
    Optional<Path> file = HostPaths.firstExisting(paths.machineId());
    if (file.isEmpty()) {
      LOG.warn("no machine id in {}: system info reports machine_id null (run systemd-machine-id-setup "
          + "or dbus-uuidgen to create one)", paths.machineId());
      return null;
    }
    try {
      String id = Files.readString(file.get(), StandardCharsets.US_ASCII).strip();
      return id.isEmpty() ? null : id;
    } catch (IOException e) {
      LOG.warn("cannot read machine id from {}: {}", file.get(), e.toString());
      return null;
    }
  }

  private static OsRelease readOsRelease(HostPaths paths) {
    Optional<Path> file = HostPaths.firstExisting(paths.osRelease());
    if (file.isEmpty()) {
      LOG.warn("no os-release file in {}: system info reports os as generic Linux", paths.osRelease());
      return OsRelease.UNKNOWN;
    }
    try {
      return OsRelease.parse(Files.readString(file.get(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.warn("cannot read {}: {}; system info reports os as generic Linux", file.get(), e.toString());
      return OsRelease.UNKNOWN;
    }
  }

  /**
   * The kernel's machine name as {@code uname -m} prints it. /proc/sys/kernel/arch has it since Linux 6.1;
   * before that the JVM's own architecture is the kernel's (a native JVM), renamed to uname's spelling.
   */
  private static String architecture() {
    try {
      String arch = Files.readString(Path.of("/proc/sys/kernel/arch"), StandardCharsets.US_ASCII).strip();
      if (!arch.isEmpty()) {
        return arch;
      }
    } catch (IOException | RuntimeException olderKernel) {
      // Fall through to the JVM's name.
    }
    String jvm = System.getProperty("os.arch", "unknown").toLowerCase(Locale.ROOT);
    return switch (jvm) {
      case "amd64", "x86_64" -> "x86_64";
      case "x86", "i386", "i486", "i586", "i686" -> "i686";
      case "arm" -> "armv7l";
      default -> jvm;
    };
  }
}
