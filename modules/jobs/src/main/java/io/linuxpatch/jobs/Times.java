package io.linuxpatch.jobs;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** RFC 3339 UTC timestamps with a Z, millisecond precision, as every other timestamp of the API. */
final class Times {

  private Times() {}

  static String format(Instant instant) {
    return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  static Instant parse(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
