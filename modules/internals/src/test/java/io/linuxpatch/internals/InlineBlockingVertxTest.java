package io.linuxpatch.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Hook 7: "blocking" work run inline, for the one caller handed this instance. */
@DisplayName("InlineBlockingVertx runs executeBlocking on the calling thread")
class InlineBlockingVertxTest {

  @Test
  @DisplayName("every executeBlocking Vert.x declares is overridden (a new overload would still hop)")
  void overridesEveryOverload() {
    assertThat(Arrays.stream(Vertx.class.getMethods()).filter(m -> m.getName().equals("executeBlocking")))
        .isNotEmpty()
        .allSatisfy(m -> assertThat(declares(m)).as(m.toString()).isTrue());
  }

  @Test
  @DisplayName("the work runs on the calling thread, its failure included; the wrapped Vert.x is otherwise itself")
  void inline() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Vertx inline = InlineBlockingVertx.of(vertx);
      AtomicReference<Thread> ran = new AtomicReference<>();
      Future<String> done = inline.executeBlocking(() -> {
        ran.set(Thread.currentThread());
        return "valid";
      });
      assertThat(ran.get()).isSameAs(Thread.currentThread());
      assertThat(done.succeeded()).isTrue();
      assertThat(done.result()).isEqualTo("valid");
      Future<String> refused = inline.executeBlocking(() -> {
        throw new IllegalArgumentException("bad parameter");
      }, false);
      assertThat(refused.failed()).isTrue();
      assertThat(refused.cause()).hasMessage("bad parameter");
      // Everything else is the wrapped instance's: a timer set through the wrapper fires.
      assertThat(Future.<Long>future(p -> inline.setTimer(1, p::complete)).await(5, TimeUnit.SECONDS)).isNotNull();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static boolean declares(Method m) {
    try {
      InlineBlockingVertx.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
