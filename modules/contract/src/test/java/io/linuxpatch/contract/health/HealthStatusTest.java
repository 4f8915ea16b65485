package io.linuxpatch.contract.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link HealthStatus} and {@link HealthCheck}. */
class HealthStatusTest {

  @Test
  @DisplayName("worst returns the worse of two statuses, in either order")
  void worst() {
    for (HealthStatus a : HealthStatus.values()) {
      assertThat(a.worst(a)).isSameAs(a);
      assertThat(HealthStatus.HEALTHY.worst(a)).isSameAs(a);
      assertThat(a.worst(HealthStatus.HEALTHY)).isSameAs(a);
      assertThat(HealthStatus.UNHEALTHY.worst(a)).isSameAs(HealthStatus.UNHEALTHY);
      assertThat(a.worst(HealthStatus.UNHEALTHY)).isSameAs(HealthStatus.UNHEALTHY);
    }
    assertThat(HealthStatus.DEGRADED.worst(HealthStatus.HEALTHY)).isSameAs(HealthStatus.DEGRADED);
  }

  @Test
  @DisplayName("Statuses are written in lower case in JSON")
  void json() {
    assertThat(HealthStatus.HEALTHY.json()).isEqualTo("healthy");
    assertThat(HealthStatus.DEGRADED.json()).isEqualTo("degraded");
    assertThat(HealthStatus.UNHEALTHY.json()).isEqualTo("unhealthy");
  }

  @Test
  @DisplayName("A health check copies its details and never holds null details")
  void checkDetailsCopied() {
    JsonObject details = new JsonObject().put("days_left", 3);
    HealthCheck check = HealthCheck.degraded("certificates", "renew soon", details);
    details.put("days_left", 0);
    assertThat(check.toJson().getJsonObject("details").getInteger("days_left")).isEqualTo(3);
    assertThat(check.toJson().getString("status")).isEqualTo("degraded");
    assertThat(HealthCheck.healthy("disk", "ok", null).details()).isEqualTo(new JsonObject());
  }
}
