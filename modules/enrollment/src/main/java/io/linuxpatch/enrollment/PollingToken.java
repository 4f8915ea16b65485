package io.linuxpatch.enrollment;

import java.nio.charset.StandardCharsets;

/**
 * The manager's polling token: whoever holds it can fetch this host's certificate (and, from the original
 * manager, its private key) once approved. It is persisted 0600 in {@code data_dir} and sent in the status URL,
 * and nowhere else: {@link #toString()} hides it and {@link #redact} takes it out of any text that could reach
 * a log line, an audit record or an answer (a Vert.x timeout message names the request URI, for one).
 */
public record PollingToken(String value) {

  /** Longer than any token a manager would hand out; a bigger one is a broken answer. */
  static final int MAX_LENGTH = 4096;

  public PollingToken {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("a polling token must be 1 to " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException("a polling token must be printable ASCII without spaces");
      }
    }
  }

  /** The token as one URL path segment: unreserved characters as they are, everything else percent-encoded. */
  public String pathSegment() {
    StringBuilder out = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.US_ASCII)) {
      char c = (char) b;
      if (Character.isLetterOrDigit(c) && c < 0x80 || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
      }
    }
    return out.toString();
  }

  /** {@code text} with every occurrence of the token (as is and as a path segment) replaced. */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    return text.replace(value, "<polling token>").replace(pathSegment(), "<polling token>");
  }

  @Override
  public String toString() {
    return "PollingToken[redacted]";
  }
}
