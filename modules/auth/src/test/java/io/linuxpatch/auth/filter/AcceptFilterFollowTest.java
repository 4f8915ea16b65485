package io.linuxpatch.auth.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.LocalCodec;
import io.linuxpatch.contract.auth.AccessPolicy;
import io.linuxpatch.contract.auth.IpAllowList;
import io.linuxpatch.contract.config.AuthorizationConfig;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The filter follows the policies AuthVerticle publishes")
class AcceptFilterFollowTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private static AccessPolicy generation(long generation) {
    return new AccessPolicy(IpAllowList.denyAll(), AuthorizationConfig.absent(), generation);
  }

  @Test
  @DisplayName("it asks for the current policy once, then takes every published one")
  void follows() {
    LocalCodec.register(vertx.eventBus(), AccessPolicy.class);
    vertx.eventBus().localConsumer(Addresses.AUTH_POLICY_CURRENT, m -> m.reply(generation(3)));
    AcceptFilter filter = new AcceptFilter();
    filter.follow(vertx.eventBus());
    await().atMost(Duration.ofSeconds(2)).until(() -> filter.policy().generation() == 3);

    vertx.eventBus().publish(Addresses.AUTH_POLICY, generation(4));
    await().atMost(Duration.ofSeconds(2)).until(() -> filter.policy().generation() == 4);
  }

  @Test
  @DisplayName("without AuthVerticle yet it keeps denying everyone and waits for the first publication")
  void beforeAuthVerticle() {
    AcceptFilter filter = new AcceptFilter();
    filter.follow(vertx.eventBus());
    vertx.eventBus().publish(Addresses.AUTH_POLICY, generation(1));
    await().atMost(Duration.ofSeconds(2)).until(() -> filter.policy().generation() == 1);
  }
}
