package io.linuxpatch.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link ErrorCode}: the codes of API-2 and their HTTP statuses. */
@Tag("API-2")
class ErrorCodeTest {

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  @DisplayName("Every error code is UPPER_SNAKE and answers with a 4xx or 5xx status")
  void shape(ErrorCode code) {
    assertThat(code.name()).matches("[A-Z][A-Z0-9]*(_[A-Z0-9]+)*");
    assertThat(code.httpStatus()).isBetween(400, 599);
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  @DisplayName("Every 5xx code but 501 and 505 (the capability, or the protocol version, is absent from this build) is retryable, and only 409/429/5xx codes may be")
  void retryable(ErrorCode code) {
    if (code.httpStatus() == 501 || code.httpStatus() == 505) {
      assertThat(code.retryable()).isFalse();
    } else if (code.httpStatus() >= 500) {
      assertThat(code.retryable()).isTrue();
    }
    if (code.retryable()) {
      assertThat(code.httpStatus()).isIn(409, 429, 500, 503, 504);
    }
  }
}
