package io.linuxpatch.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linuxpatch.contract.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mapping of rc-service status output to the systemd vocabulary. */
class OpenRcStatusTest {

  @Test
  @DisplayName("OpenRC 'started' maps to active and a runlevel link makes it enabled")
  void started(@TempDir Path runlevels) throws Exception {
    Files.createDirectories(runlevels.resolve("default"));
    Files.createSymbolicLink(runlevels.resolve("default/sshd"), Path.of("/etc/init.d/sshd"));

    ServiceState state = OpenRcStatus.parse("sshd", " * status: started\n", runlevels);

    assertThat(state).isEqualTo(new ServiceState("sshd", null, "loaded", "active", "started", "enabled", null));
  }

  @Test
  @DisplayName("OpenRC 'stopped' maps to inactive, 'crashed' to failed; no runlevel link means disabled")
  void stoppedAndCrashed(@TempDir Path runlevels) throws Exception {
    Files.createDirectories(runlevels.resolve("default"));
    assertThat(OpenRcStatus.parse("crond", " * status: stopped\n", runlevels).activeState()).isEqualTo("inactive");
    assertThat(OpenRcStatus.parse("crond", " * status: crashed\n", runlevels).activeState()).isEqualTo("failed");
    assertThat(OpenRcStatus.parse("crond", " * status: stopped\n", runlevels).enabled()).isEqualTo("disabled");
  }

  @Test
  @DisplayName("'does not exist' from rc-service is SERVICE_NOT_FOUND")
  void notFound() {
    assertThatThrownBy(() -> OpenRcStatus.parse("nosuch", " * rc-service: service `nosuch' does not exist\n", null))
        .isInstanceOfSatisfying(ServiceQueryException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_NOT_FOUND));
  }
}
