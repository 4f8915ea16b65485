package io.linuxpatch.contract.packages;

/**
 * A hostile request value made safe to echo in an error message: control characters and whitespace escaped,
 * length capped, so that a 400 answer or a log line can never be forged or flooded by the input it rejects.
 */
record DisplayedValue(String text) {

  private static final int MAX_SHOWN = 64;

  static DisplayedValue of(String raw) {
    StringBuilder out = new StringBuilder("'");
    int shown = Math.min(raw.length(), MAX_SHOWN);
    for (int i = 0; i < shown; i++) {
      char c = raw.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isWhitespace(c) || Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else if (c == '\'' || c == '\\') {
        out.append('\\').append(c);
      } else {
        out.append(c);
      }
    }
    out.append('\'');
    if (raw.length() > shown) {
      out.append("… (").append(raw.length()).append(" characters)");
    }
    return new DisplayedValue(out.toString());
  }

  @Override
  public String toString() {
    return text;
  }
}
