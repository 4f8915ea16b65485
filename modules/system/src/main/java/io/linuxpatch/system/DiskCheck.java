package io.linuxpatch.system;

import io.linuxpatch.contract.health.HealthCheck;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The "disk" health check of endpoint 1: free space on the file system that holds the data directory (job
 * store, idempotency keys). Below 256 MiB the agent is degraded, not unhealthy: it still answers, but job
 * persistence may soon fail.
 */
final class DiskCheck {

  static final String NAME = "disk";
  static final long THRESHOLD_BYTES = 256L * 1024 * 1024;

  private DiskCheck() {}

  /** Measures {@code dataDir}, or its nearest existing ancestor when it has not been created yet. */
  static HealthCheck measure(String dataDir) {
    Path configured = Path.of(dataDir).toAbsolutePath().normalize();
    Path measured = nearestExisting(configured);
    JsonObject details = new JsonObject().put("path", configured.toString());
    if (!measured.equals(configured)) {
      details.put("measured_path", measured.toString());
    }
    try {
      // statvfs(2) on the path itself, through java.io.File: Files.getFileStore first looks the path's mount up
      // in /proc/mounts, which fails ("Mount point not found") in a chroot or a container whose mount table
      // does not name the root (issue 20). File reports 0 for a path it cannot stat.
      // Usable, not unallocated: the blocks reserved for root are the operator's last resort, not ours.
      File directory = measured.toFile();
      long total = directory.getTotalSpace();
      long free = directory.getUsableSpace();
      if (total == 0) {
        throw new IOException("statvfs failed");
      }
      details.put("free_bytes", free).put("total_bytes", total);
      if (free > THRESHOLD_BYTES) {
        return HealthCheck.healthy(NAME, mib(free) + " free for the data directory " + configured, details);
      }
      return HealthCheck.degraded(NAME, "only " + mib(free) + " free on the file system of the data directory "
          + configured + " (below " + mib(THRESHOLD_BYTES) + "): free space there before job records "
          + "and audit writes start failing", details);
    } catch (IOException | SecurityException e) {
      return HealthCheck.degraded(NAME, "cannot measure free space for the data directory " + configured
          + " (" + e.getMessage() + "): check that " + measured + " is readable", details);
    }
  }

  static Path nearestExisting(Path path) {
    Path p = path;
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p == null ? path.getRoot() : p;
  }

  private static String mib(long bytes) {
    return (bytes / (1024 * 1024)) + " MiB";
  }
}
