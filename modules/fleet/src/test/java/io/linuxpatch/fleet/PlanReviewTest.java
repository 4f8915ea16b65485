package io.linuxpatch.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PlanReviewTest {

  private static HostPlan plan(String host, String... sslTo) {
    JsonArray upgrade = new JsonArray();
    for (String to : sslTo) {
      upgrade.add(new JsonObject().put("name", "demo-ssl").put("from_version", "1.0").put("to_version", to));
    }
    return new HostPlan(new Host(host), new JsonObject().put("plan_id", "a".repeat(64)).put("upgrade", upgrade),
        null, null);
  }

  @Test
  @DisplayName("one row per change with the hosts it happens on; a host without a plan or with an empty one adds none")
  void merged() {
    List<HostPlan> plans = List.of(plan("https://a", "1.0+deb1"), plan("https://b", "1.0+deb1"),
        plan("https://c", "1.0+deb2"), plan("https://d"), new HostPlan(new Host("https://e"), null, "UNREACHABLE", "down"));
    List<PlanReview.Change> changes = PlanReview.of(plans);
    assertThat(changes).hasSize(2);
    assertThat(changes.get(0).to()).isEqualTo("1.0+deb1");
    assertThat(changes.get(0).hosts()).extracting(Host::url).containsExactly("https://a", "https://b");
    assertThat(plans.get(3).empty()).isTrue();
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    PlanReview.table(changes, plans.size()).print(new PrintStream(text, true, StandardCharsets.UTF_8));
    assertThat(text.toString(StandardCharsets.UTF_8)).contains("2/5 [https://a, https://b]")
        .contains("1/5 [https://c]");
  }
}
