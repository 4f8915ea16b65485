package io.linuxpatch.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.health.HealthCheck;
import io.linuxpatch.contract.health.HealthStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk health check measures the data directory or its nearest ancestor. */
class DiskCheckTest {

  @Test
  @DisplayName("A data directory not created yet is measured at its nearest existing ancestor")
  void nearestAncestor(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("not/yet/created");

    HealthCheck check = DiskCheck.measure(missing.toString());

    assertThat(check.name()).isEqualTo("disk");
    assertThat(check.details().getString("path")).isEqualTo(missing.toString());
    assertThat(check.details().getString("measured_path")).isEqualTo(dir.toString());
    long usable = Files.getFileStore(dir).getUsableSpace();
    assertThat(check.details().getLong("free_bytes")).isBetween(usable - 64L * 1024 * 1024, usable + 64L * 1024 * 1024);
    assertThat(check.details().getLong("total_bytes")).isEqualTo(Files.getFileStore(dir).getTotalSpace());
    assertThat(check.status()).isEqualTo(usable > DiskCheck.THRESHOLD_BYTES ? HealthStatus.HEALTHY : HealthStatus.DEGRADED);
  }

  @Test
  @DisplayName("An existing directory is measured itself, without a measured_path detail")
  void existing(@TempDir Path dir) {
    HealthCheck check = DiskCheck.measure(dir.toString());
    assertThat(check.details().containsKey("measured_path")).isFalse();
    assertThat(check.message()).contains(dir.toString());
  }
}
