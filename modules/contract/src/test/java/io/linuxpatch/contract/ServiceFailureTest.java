package io.linuxpatch.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link ServiceFailure}: an error code and its text survive the event bus; foreign failures map sensibly. */
class ServiceFailureTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** The failure a real request on the local event bus ends with. */
  private static Throwable failureOf(String address, DeliveryOptions options) throws Exception {
    try {
      vertx.eventBus().request(address, "ping", options).toCompletionStage().toCompletableFuture()
          .get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the request to " + address + " unexpectedly succeeded");
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  @DisplayName("Every error code and its text, even a text with colons, round-trip through of/codeOf/messageOf")
  void roundTrip(ErrorCode code) {
    ReplyException failure = ServiceFailure.of(code, "package foo: not: here");
    assertThat(failure.failureCode()).isEqualTo(code.httpStatus());
    assertThat(failure.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    assertThat(ServiceFailure.codeOf(failure)).isEqualTo(code);
    assertThat(ServiceFailure.messageOf(failure)).isEqualTo("package foo: not: here");
  }

  @Test
  @DisplayName("A failure sent with ServiceFailure.fail over the real event bus arrives with its code and text")
  void failOverTheBus() throws Exception {
    vertx.eventBus().consumer("test.fail", m -> ServiceFailure.fail(m, ErrorCode.PKG_NOT_FOUND, "no package nginx"))
        .completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    Throwable failure = failureOf("test.fail", new DeliveryOptions());
    assertThat(ServiceFailure.codeOf(failure)).isEqualTo(ErrorCode.PKG_NOT_FOUND);
    assertThat(ServiceFailure.messageOf(failure)).isEqualTo("no package nginx");
  }

  @Test
  @DisplayName("A reply failure that is not ours is an INTERNAL_ERROR with a generic text that leaks nothing")
  void foreignFailureIsInternal() {
    for (Throwable foreign : new Throwable[] {
        new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 500, "boom"),
        new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 400, "NOT_A_CODE: secret detail"),
        new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 400, ": starts with a colon"),
        new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 400, null),
        new IllegalStateException("INVALID_REQUEST: not a reply exception"),
        new RuntimeException()}) {
      assertThat(ServiceFailure.codeOf(foreign)).as(String.valueOf(foreign)).isEqualTo(ErrorCode.INTERNAL_ERROR);
      assertThat(ServiceFailure.messageOf(foreign)).isEqualTo("unexpected internal error");
    }
  }

  @Test
  @DisplayName("A reply timeout is TIMEOUT, also with the real Vert.x message that contains a colon")
  void timeout() throws Exception {
    assertThat(ServiceFailure.codeOf(new ReplyException(ReplyFailure.TIMEOUT, "Timed out"))).isEqualTo(ErrorCode.TIMEOUT);
    vertx.eventBus().consumer("test.silent", m -> { })
        .completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    Throwable failure = failureOf("test.silent", new DeliveryOptions().setSendTimeout(50));
    assertThat(failure).isInstanceOfSatisfying(ReplyException.class,
        r -> assertThat(r.failureType()).isEqualTo(ReplyFailure.TIMEOUT));
    assertThat(ServiceFailure.codeOf(failure)).as(failure.getMessage()).isEqualTo(ErrorCode.TIMEOUT);
    assertThat(ServiceFailure.messageOf(failure)).contains("did not answer in time");
  }

  @Test
  @DisplayName("A request to an address nobody consumes is SERVICE_UNAVAILABLE")
  void noHandlers() throws Exception {
    Throwable failure = failureOf("test.nobody", new DeliveryOptions());
    assertThat(ServiceFailure.codeOf(failure)).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
    assertThat(ServiceFailure.messageOf(failure)).contains("not running");
    assertThat(ServiceFailure.codeOf(new ReplyException(ReplyFailure.NO_HANDLERS, "No handlers")))
        .isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
  }
}
