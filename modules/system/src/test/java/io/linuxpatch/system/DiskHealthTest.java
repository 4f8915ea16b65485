package io.linuxpatch.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.LocalCodec;
import io.linuxpatch.contract.health.HealthCheck;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** SystemVerticle publishes the disk health check at start and on resync. */
@ExtendWith(VertxExtension.class)
class DiskHealthTest {

  @Test
  @DisplayName("The disk check is published at start and again on lpa.health.resync, measuring the data dir's ancestor")
  void publishedAtStartAndOnResync(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) throws Exception {
    TestHost host = new TestHost(dir);
    LocalCodec.register(vertx.eventBus(), HealthCheck.class);
    AtomicLong resyncAt = new AtomicLong();
    List<HealthCheck> seen = new CopyOnWriteArrayList<>();
    Checkpoint twice = ctx.checkpoint(2);
    Checkpoint deployed = ctx.checkpoint();
    vertx.eventBus().<HealthCheck>consumer(Addresses.HEALTH_CHECK, message -> {
      // SystemVerticle also owns the "reboot" check; this test is about the disk.
      if (!message.body().name().equals("disk")) {
        return;
      }
      seen.add(message.body());
      ctx.verify(() -> {
        HealthCheck check = message.body();
        assertThat(check.name()).isEqualTo("disk");
        assertThat(check.details().getString("path")).isEqualTo(host.dataDir.toString());
        assertThat(check.details().getString("measured_path")).isEqualTo(dir.toString());
        assertThat(check.details().getLong("free_bytes")).isPositive();
        assertThat(check.details().getLong("total_bytes")).isGreaterThanOrEqualTo(check.details().getLong("free_bytes"));
      });
      if (seen.size() == 1) {
        resyncAt.set(System.nanoTime());
        vertx.eventBus().publish(Addresses.HEALTH_RESYNC, null);
      } else if (seen.size() == 2) {
        // The periodic publication comes only after 10 s: an answer this fast is the resync's.
        ctx.verify(() -> assertThat(System.nanoTime() - resyncAt.get()).isLessThan(5_000_000_000L));
      }
      twice.flag();
    }).completion()
        .compose(ready -> host.deploy(vertx))
        .onComplete(ctx.succeeding(id -> deployed.flag()));
  }
}
