package io.linuxpatch.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.process.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Parsing of systemctl show output, captured and (where systemd runs) real. */
class SystemctlShowTest {

  /**
   * What systemd 252 prints for {@code systemctl show --property=Id,Description,LoadState,ActiveState,SubState,
   * UnitFileState,MainPID -- ssh}: Service-interface properties first, then Unit ones, whatever order was asked.
   */
  static final String SSH_RUNNING = """
      MainPID=612
      Id=ssh.service
      Description=OpenBSD Secure Shell server
      LoadState=loaded
      ActiveState=active
      SubState=running
      UnitFileState=enabled
      """;

  static final String NOT_FOUND = """
      MainPID=0
      Id=nosuch.service
      Description=nosuch.service
      LoadState=not-found
      ActiveState=inactive
      SubState=dead
      UnitFileState=
      """;

  static final String ONESHOT_EXITED = """
      MainPID=0
      Id=systemd-tmpfiles-setup.service
      Description=Create System Files and Directories = tmpfiles
      LoadState=loaded
      ActiveState=active
      SubState=exited
      UnitFileState=static
      """;

  @Test
  @DisplayName("A running service is read into name, description, states, unit file state and main pid")
  void running() {
    ServiceState state = SystemctlShow.parse("ssh", SSH_RUNNING);
    assertThat(state).isEqualTo(new ServiceState("ssh.service", "OpenBSD Secure Shell server", "loaded", "active",
        "running", "enabled", 612L));
    assertThat(state.toJson().fieldNames()).containsExactlyInAnyOrder("name", "description", "load_state",
        "active_state", "sub_state", "enabled", "main_pid");
  }

  @Test
  @DisplayName("MainPID=0 becomes null and a '=' inside the description survives")
  void noMainPid() {
    ServiceState state = SystemctlShow.parse("systemd-tmpfiles-setup", ONESHOT_EXITED);
    assertThat(state.mainPid()).isNull();
    assertThat(state.description()).isEqualTo("Create System Files and Directories = tmpfiles");
    assertThat(state.toJson().getValue("main_pid")).isNull();
    assertThat(state.toJson().containsKey("main_pid")).isTrue();
  }

  @Test
  @DisplayName("LoadState=not-found is SERVICE_NOT_FOUND, not a state")
  void notFound() {
    assertThatThrownBy(() -> SystemctlShow.parse("nosuch", NOT_FOUND))
        .isInstanceOfSatisfying(ServiceQueryException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_NOT_FOUND))
        .hasMessageContaining("nosuch");
  }

  @Test
  @DisplayName("Output without a LoadState is a backend failure, never a made-up state")
  void garbage() {
    assertThatThrownBy(() -> SystemctlShow.parse("x", "Failed to connect to bus\n"))
        .isInstanceOfSatisfying(ServiceQueryException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE));
  }

  @Test
  @DisplayName("Against the real systemctl, a unit that always exists is loaded and a made-up one is not found")
  void realSystemctl() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/run/systemd/system")), "systemd is not running here");
    ServiceQuery query = ServiceQuery.detect(HostPaths.standard(), ProcessRunner.create());

    ServiceState journald = query.query(new UnitName("systemd-journald")).toCompletableFuture()
        .get(15, TimeUnit.SECONDS);
    assertThat(journald.name()).isEqualTo("systemd-journald.service");
    assertThat(journald.loadState()).isEqualTo("loaded");

    assertThatThrownBy(() -> query.query(new UnitName("lpa-no-such-unit-4711")).toCompletableFuture()
        .get(15, TimeUnit.SECONDS))
        .cause().isInstanceOfSatisfying(ServiceQueryException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_NOT_FOUND));
  }
}
