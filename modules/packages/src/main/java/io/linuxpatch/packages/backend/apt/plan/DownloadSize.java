package io.linuxpatch.packages.backend.apt.plan;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * apt's "Need to get 0 B/1,234 kB of archives." line as bytes. apt rounds the figure it prints (SI units),
 * so the value is approximate; {@code apt-get -s} does not print the line at all, hence usually {@code null}.
 */
final class DownloadSize {

  // "Need to get 12.3 MB of archives." or "Need to get 0 B/1,234 kB of archives." (the total follows '/')
  private static final Pattern LINE =
      Pattern.compile("^Need to get (?:[0-9.,]+ ?[kMGT]?B/)?([0-9.,]+) ?([kMGT]?)B of archives\\.?.*$");

  private DownloadSize() {
  }

  /** Bytes, or {@code null} when the line is not in the expected form. */
  static Long parse(String line) {
    Matcher m = LINE.matcher(line.strip());
    if (!m.matches()) {
      return null;
    }
    try {
      BigDecimal number = new BigDecimal(m.group(1).replace(",", ""));
      long factor = switch (m.group(2)) {
        case "k" -> 1_000L;
        case "M" -> 1_000_000L;
        case "G" -> 1_000_000_000L;
        case "T" -> 1_000_000_000_000L;
        default -> 1L;
      };
      return number.multiply(BigDecimal.valueOf(factor)).longValue();
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
