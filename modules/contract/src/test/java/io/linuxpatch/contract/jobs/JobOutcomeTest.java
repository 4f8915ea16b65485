package io.linuxpatch.contract.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.linuxpatch.contract.LocalCodec;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The typed outcome of a package job, as PackageVerticle answers it and JobVerticle reads it. */
@Tag("JOB-2")
class JobOutcomeTest {

  @Test
  @DisplayName("the error code follows the status: none when completed, CANCELLED, TIMEOUT, else the given or PKG_MANAGER_ERROR")
  void errorFollowsStatus() {
    assertThat(new JobOutcome(JobStatus.COMPLETED, 0, JobError.GPG_ERROR, "x", null, null, null).error()).isNull();
    assertThat(new JobOutcome(JobStatus.COMPLETED, 0, null, "x", null, null, null).errorText()).isNull();
    assertThat(new JobOutcome(JobStatus.CANCELLED, 143, null, "t", null, null, null).error())
        .isEqualTo(JobError.CANCELLED);
    assertThat(new JobOutcome(JobStatus.TIMEOUT, 143, JobError.GPG_ERROR, "t", null, null, null).error())
        .isEqualTo(JobError.TIMEOUT);
    assertThat(JobOutcome.failed(null, "t").error()).isEqualTo(JobError.PKG_MANAGER_ERROR);
    assertThat(JobOutcome.failed(JobError.DISK_FULL, "t").error()).isEqualTo(JobError.DISK_FULL);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new JobOutcome(JobStatus.RUNNING, null, null, null, null, null, null));
  }

  @Test
  @DisplayName("changes and plan are copies: neither the maker nor a reader can change what another sees")
  void copies() {
    JsonArray changes = new JsonArray().add(new JsonObject().put("name", "a"));
    JsonObject plan = new JsonObject().put("plan_id", "p");
    JobOutcome outcome = new JobOutcome(JobStatus.COMPLETED, 0, null, null, changes, List.of("l"), plan);
    changes.add(new JsonObject().put("name", "b"));
    plan.put("plan_id", "changed");
    outcome.changes().clear();
    outcome.plan().clear();

    assertThat(outcome.changes()).hasSize(1);
    assertThat(outcome.plan().getString("plan_id")).isEqualTo("p");
    assertThat(outcome.toJson()).isEqualTo(new JsonObject().put("outcome", "completed").put("exit_code", 0)
        .putNull("error_code").putNull("error").put("changes", new JsonArray().add(new JsonObject().put("name", "a")))
        .put("logs", new JsonArray().add("l")).put("plan", new JsonObject().put("plan_id", "p")));
  }

  @Test
  @DisplayName("it crosses the event bus by reference through the local codec")
  void localCodec() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      LocalCodec.register(vertx.eventBus(), JobOutcome.class);
      JobOutcome sent = JobOutcome.failed(JobError.PKG_MANAGER_LOCKED, "busy");
      vertx.eventBus().consumer("test", m -> m.reply(sent));
      Object received = vertx.eventBus().request("test", null).await(5, TimeUnit.SECONDS).body();
      assertThat(received).isSameAs(sent);
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }
}
