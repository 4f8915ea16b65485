package io.linuxpatch.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linuxpatch.contract.auth.AccessPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link LocalCodec}: process-local objects pass by reference and never go on the wire. */
class LocalCodecTest {

  @Test
  @DisplayName("Encoding or decoding for the wire is refused with the type's name")
  void wireRefused() {
    LocalCodec<AccessPolicy> codec = new LocalCodec<>(AccessPolicy.class);
    assertThatThrownBy(() -> codec.encodeToWire(Buffer.buffer(), AccessPolicy.denyAll()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("AccessPolicy");
    assertThatThrownBy(() -> codec.decodeFromWire(0, Buffer.buffer()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("AccessPolicy");
  }

  @Test
  @DisplayName("transform passes the very same instance; the codec is user-defined and named after the type")
  void transformIsIdentity() {
    LocalCodec<AccessPolicy> codec = new LocalCodec<>(AccessPolicy.class);
    AccessPolicy policy = AccessPolicy.denyAll();
    assertThat(codec.transform(policy)).isSameAs(policy);
    assertThat(codec.systemCodecID()).isEqualTo((byte) -1);
    assertThat(codec.name()).isEqualTo("local-" + AccessPolicy.class.getName());
  }

  @Test
  @DisplayName("Registered twice on one bus it stays usable, and a published object arrives as the same instance")
  void registerIsIdempotentAndDeliversSameInstance() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      LocalCodec.register(vertx.eventBus(), AccessPolicy.class);
      LocalCodec.register(vertx.eventBus(), AccessPolicy.class);
      AccessPolicy policy = AccessPolicy.denyAll();
      java.util.concurrent.CompletableFuture<Object> received = new java.util.concurrent.CompletableFuture<>();
      vertx.eventBus().localConsumer("test.policy", m -> received.complete(m.body()))
          .completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      vertx.eventBus().publish("test.policy", policy);
      assertThat(received.get(5, TimeUnit.SECONDS)).isSameAs(policy);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }
}
