package io.linuxpatch.enrollment;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before asking the manager again (ENR): after a 5xx answer or a network error, exponentially
 * longer each time in a row — base × 2^(n-1), at most {@code backoffCap} — with ±{@code jitter} spread so that a
 * fleet that lost its manager does not come back in lockstep; after a 429, what {@code Retry-After} says
 * (seconds or an HTTP date), else {@code defaultRetryAfter}, never more than {@code maxRetryAfter}.
 *
 * @param backoffCap        the longest back-off
 * @param defaultRetryAfter the wait after a 429 without a usable Retry-After
 * @param maxRetryAfter     a Retry-After beyond this is capped (a manager cannot park the agent for days)
 * @param jitter            relative spread of each back-off, 0 to 0.5
 */
public record RetryPolicy(Duration backoffCap, Duration defaultRetryAfter, Duration maxRetryAfter, double jitter) {

  /** The production policy: back-off up to 5 minutes ±20 %, 429 without Retry-After = 60 s, at most an hour. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(Duration.ofMinutes(5), Duration.ofSeconds(60), Duration.ofHours(1), 0.2);

  public RetryPolicy {
    if (jitter < 0 || jitter > 0.5) {
      throw new IllegalArgumentException("jitter must be between 0 and 0.5, got " + jitter);
    }
  }

  /**
   * The wait after the {@code failures}-th failure in a row (1 = the first), starting from {@code base} (the
   * polling interval: a failure never makes the agent ask sooner than it would have anyway).
   */
  public Duration backoff(int failures, Duration base) {
    int doublings = Math.max(0, Math.min(failures - 1, 30));
    long millis = Math.min(backoffCap.toMillis(), base.toMillis() << Math.min(doublings, 20));
    double spread = jitter == 0 ? 1 : 1 - jitter + 2 * jitter * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis(Math.round(millis * spread));
  }

  /** The wait a 429's {@code Retry-After} header asks for (null or unusable → the default), at least a second. */
  public Duration retryAfter(String header, Instant now) {
    Duration wait = defaultRetryAfter;
    if (header != null && !header.isBlank()) {
      String value = header.strip();
      try {
        wait = Duration.ofSeconds(Long.parseLong(value));
      } catch (NumberFormatException notSeconds) {
        try {
          wait = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException notADate) {
          wait = defaultRetryAfter;
        }
      }
    }
    if (wait.compareTo(Duration.ofSeconds(1)) < 0) {
      wait = Duration.ofSeconds(1);
    }
    return wait.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : wait;
  }
}
