package io.linuxpatch.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link RetryPolicy}: exponential back-off with jitter, and Retry-After. */
class RetryPolicyTest {

  private final RetryPolicy policy = RetryPolicy.DEFAULT;
  private final Duration base = Duration.ofSeconds(30);

  @Test
  @DisplayName("back-off doubles from the polling interval with ±20 % jitter and stops at 5 minutes")
  void backoff() {
    for (int run = 0; run < 200; run++) {
      assertThat(policy.backoff(1, base).toMillis()).isBetween(24_000L, 36_000L);
      assertThat(policy.backoff(2, base).toMillis()).isBetween(48_000L, 72_000L);
      assertThat(policy.backoff(3, base).toMillis()).isBetween(96_000L, 144_000L);
      assertThat(policy.backoff(20, base).toMillis()).isBetween(240_000L, 360_000L);
    }
    long distinct = java.util.stream.IntStream.range(0, 50).mapToLong(i -> policy.backoff(1, base).toMillis())
        .distinct().count();
    assertThat(distinct).as("jitter spreads a fleet out").isGreaterThan(10);
  }

  @Test
  @DisplayName("Retry-After in seconds or as an HTTP date is obeyed, 60 s without it, at least 1 s, at most an hour")
  void retryAfter() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(policy.retryAfter("7", now)).isEqualTo(Duration.ofSeconds(7));
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(90).atZone(ZoneOffset.UTC));
    assertThat(policy.retryAfter(date, now)).isEqualTo(Duration.ofSeconds(90));
    assertThat(policy.retryAfter(null, now)).isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.retryAfter("soon", now)).isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.retryAfter("0", now)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.retryAfter("999999", now)).isEqualTo(Duration.ofHours(1));
  }
}
