package io.linuxpatch.packages.backend.dnf.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits output written with rpm's {@code :shescape} formatter into records and fields: a field is bare
 * ({@code 42}, {@code (none)}) or single-quoted with {@code '\''} for a quote inside; fields are separated by
 * spaces and a record ends at a newline outside quotes, so quoted text may hold any character, newlines
 * included.
 */
final class ShellQuotedRecords {

  /** rpm's text for a tag the header does not have. */
  static final String NONE = "(none)";

  /**
   * One field.
   *
   * @param value  the unquoted text, {@code null} for rpm's bare {@code (none)}
   * @param quoted whether any part of it was quoted (a number never is)
   */
  record Field(String value, boolean quoted) {
    String valueOrEmpty() {
      return value == null ? "" : value;
    }
  }

  /** Receives each complete record. */
  interface RecordSink {
    void accept(int number, List<Field> fields, String raw);
  }

  /** Receives what could not be split. */
  interface ProblemSink {
    void problem(int number, String raw, String message);
  }

  private ShellQuotedRecords() {
  }

  static void read(CharSequence text, RecordSink records, ProblemSink problems) {
    List<Field> fields = new ArrayList<>();
    StringBuilder token = new StringBuilder();
    boolean started = false;
    boolean quoted = false;
    boolean inQuote = false;
    int recordStart = 0;
    int number = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inQuote) {
        if (c == '\'') {
          inQuote = false;
        } else {
          token.append(c);
        }
      } else if (c == '\'') {
        inQuote = true;
        quoted = true;
        started = true;
      } else if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) != '\n') {
        token.append(text.charAt(++i));
        started = true;
      } else if (c == ' ' || c == '\n') {
        if (started) {
          fields.add(field(token, quoted));
          token.setLength(0);
          started = false;
          quoted = false;
        }
        if (c == '\n') {
          if (!fields.isEmpty()) {
            records.accept(number++, List.copyOf(fields), text.subSequence(recordStart, i).toString());
          }
          fields.clear();
          recordStart = i + 1;
        }
      } else {
        token.append(c);
        started = true;
      }
    }
    if (inQuote) {
      problems.problem(number, text.subSequence(recordStart, text.length()).toString(),
          "the output ends inside a quoted field (cut short?)");
      return;
    }
    if (started) {
      fields.add(field(token, quoted));
    }
    if (!fields.isEmpty()) {
      records.accept(number, List.copyOf(fields), text.subSequence(recordStart, text.length()).toString());
    }
  }

  private static Field field(StringBuilder token, boolean quoted) {
    String value = token.toString();
    return new Field(!quoted && value.equals(NONE) ? null : value, quoted);
  }
}
