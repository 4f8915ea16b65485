package io.linuxpatch.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanFileTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("a plan file reads back as written: request, hosts, plan ids and the review id its keys are made of")
  void roundTrip() throws Exception {
    HostPlan planned = new HostPlan(new Host("https://a:12443"), new JsonObject().put("plan_id", "b".repeat(64)), null,
        null);
    HostPlan down = new HostPlan(new Host("https://b:12443"), null, "UNREACHABLE", "connection refused");
    PlanFile file = PlanFile.reviewed(new JsonObject().put("security_only", true), List.of(planned, down));
    file.write(dir.resolve("p.json"));
    PlanFile read = PlanFile.read(dir.resolve("p.json"));
    assertThat(read).isEqualTo(file);
    assertThat(read.idempotencyKey(planned)).isEqualTo("fleet-apply-" + file.reviewId() + "-" + "b".repeat(64))
        .hasSizeLessThanOrEqualTo(128);
    assertThat(PlanFile.reviewed(file.request(), file.hosts()).idempotencyKey(planned))
        .as("a new review, new keys").isNotEqualTo(read.idempotencyKey(planned));
  }

  @Test
  @DisplayName("a file that is not a plan (not JSON, another kind, another shape) is refused naming the file")
  void notAPlan() throws Exception {
    for (String text : List.of("{", "{\"kind\":\"something else\"}", "{\"kind\":\"linux-patch-api fleet plan\"}")) {
      Path file = Files.writeString(dir.resolve("x.json"), text);
      assertThatThrownBy(() -> PlanFile.read(file)).isInstanceOf(IOException.class).hasMessageContaining(file.toString());
    }
    Path run = Files.writeString(dir.resolve("r.json"), "[]");
    assertThatThrownBy(() -> RunRecord.read(run)).isInstanceOf(IOException.class).hasMessageContaining("run record");
  }
}
