package io.linuxpatch.packages.backend.pacman.inventory;

/**
 * Reads one pacman {@code desc} file into a {@link PackageColumns.Builder} row, as libalpm's database backends
 * do: a non-blank line after a blank one (or at the start) is a {@code %FIELD%} header, the lines after it up to
 * the next blank line are its values. Unknown fields are skipped; {@code \r} before a newline is ignored.
 */
final class DescParser {

  private DescParser() {
  }

  /** Feeds {@code bytes[0, length)} as field values of the builder's current row. */
  static void parse(byte[] bytes, int length, PackageColumns.Builder row) {
    boolean expectingHeader = true;
    DescField field = null;
    int start = 0;
    while (start <= length) {
      int end = start;
      while (end < length && bytes[end] != '\n') {
        end++;
      }
      int lineEnd = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
      if (lineEnd == start) {
        expectingHeader = true;
        field = null;
      } else if (expectingHeader) {
        field = DescField.ofHeader(bytes, start, lineEnd);
        expectingHeader = false;
      } else if (field != null) {
        row.value(field, bytes, start, lineEnd);
      }
      start = end + 1;
    }
  }
}
