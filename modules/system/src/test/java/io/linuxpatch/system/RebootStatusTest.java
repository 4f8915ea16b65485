package io.linuxpatch.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.health.HealthCheck;
import io.linuxpatch.contract.health.HealthStatus;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The reasons for a reboot: the flag file and the running kernel against the newest installed one. */
class RebootStatusTest {

  private static final RebootRequired NO_FLAG = new RebootRequired(false, List.of());
  private static final RebootRequired FLAG = new RebootRequired(true, List.of("libc6"));

  @Test
  @DisplayName("Flag file and a newer installed kernel are both reasons, flag first; either makes a reboot required")
  void reasons() {
    RebootStatus both = new RebootStatus(FLAG, "6.1.0-17-amd64", "6.1.0-18-amd64");
    assertThat(both.reasons()).containsExactly("reboot-required file present",
        "newer kernel installed: 6.1.0-18-amd64 (running 6.1.0-17-amd64)");
    assertThat(both.required()).isTrue();

    assertThat(new RebootStatus(FLAG, "6.1.0-18-amd64", null).reasons())
        .containsExactly("reboot-required file present");
    assertThat(new RebootStatus(NO_FLAG, "6.1.0-17-amd64", "6.1.0-18-amd64").required()).isTrue();
  }

  @Test
  @DisplayName("No flag and the newest installed kernel running (or unknown): no reason, not required")
  void noReasons() {
    assertThat(new RebootStatus(NO_FLAG, "6.1.0-18-amd64", "6.1.0-18-amd64").reasons()).isEmpty();
    assertThat(new RebootStatus(NO_FLAG, "6.1.0-18-amd64", null).required()).isFalse();
  }

  @Test
  @DisplayName("The JSON carries required, packages, both kernels and the reasons")
  void json() {
    assertThat(new RebootStatus(FLAG, "6.1.0-17-amd64", "6.1.0-18-amd64").toJson()).isEqualTo(new JsonObject()
        .put("required", true)
        .put("packages", List.of("libc6"))
        .put("running_kernel", "6.1.0-17-amd64")
        .put("newest_installed_kernel", "6.1.0-18-amd64")
        .put("reasons", List.of("reboot-required file present",
            "newer kernel installed: 6.1.0-18-amd64 (running 6.1.0-17-amd64)")));
  }

  @Test
  @DisplayName("The reboot health check stays healthy when a reboot is pending and says why in its details")
  void healthCheck() {
    HealthCheck pending = new RebootStatus(NO_FLAG, "6.1.0-17-amd64", "6.1.0-18-amd64").healthCheck();
    assertThat(pending.name()).isEqualTo("reboot");
    assertThat(pending.status()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(pending.details()).isEqualTo(new JsonObject().put("required", true)
        .put("reasons", List.of("newer kernel installed: 6.1.0-18-amd64 (running 6.1.0-17-amd64)")));
    assertThat(pending.message()).contains("6.1.0-18-amd64");

    HealthCheck none = new RebootStatus(NO_FLAG, "6.1.0-18-amd64", null).healthCheck();
    assertThat(none.status()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(none.details()).isEqualTo(new JsonObject().put("required", false).put("reasons", List.of()));
  }
}
