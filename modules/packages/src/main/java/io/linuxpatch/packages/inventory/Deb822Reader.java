package io.linuxpatch.packages.inventory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits deb822 control text (dpkg's status file, apt's Packages and Release indices) into stanzas and
 * hands each to a callback with the positions of the fields the caller asked for.
 *
 * <p>One pass over the text, no regular expressions, and no copies of fields nobody asked for (the
 * Conffiles and checksum lists are most of a status or Release file). A line that is neither a field,
 * a continuation nor a comment makes its stanza malformed rather than the whole file.
 */
public final class Deb822Reader {

  private final String[] fieldNames;

  /** @param fieldNames the fields to locate, matched case-insensitively; their order gives the indices */
  public Deb822Reader(List<String> fieldNames) {
    this.fieldNames = fieldNames.toArray(String[]::new);
  }

  /**
   * Reads every stanza of {@code text} and passes it to {@code handler}, which must not keep the
   * {@link Stanza}: it is reused for the next one.
   *
   * @param file the file name reported in problems
   */
  public void read(String file, String text, Consumer<Stanza> handler) {
    Stanza stanza = new Stanza(file, text, fieldNames.length);
    int length = text.length();
    int position = 0;
    int lineNumber = 0;
    int currentField = NO_FIELD;
    while (position < length) {
      lineNumber++;
      int newline = text.indexOf('\n', position);
      int lineEnd = newline < 0 ? length : newline;
      int next = newline < 0 ? length : newline + 1;
      int contentEnd = lineEnd > position && text.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
      char first = position < contentEnd ? text.charAt(position) : '\n';
      if (isBlank(text, position, contentEnd)) {
        if (stanza.open) {
          handler.accept(stanza);
          stanza.reset();
        }
        currentField = NO_FIELD;
      } else if (first == ' ' || first == '\t') {
        if (currentField == NO_FIELD) {
          if (!stanza.open) {
            stanza.begin(lineNumber);
          }
          stanza.problem(lineNumber, "continuation line without a field before it");
        } else if (currentField >= 0) {
          stanza.end[currentField] = contentEnd;
        }
      } else if (first != '#') {
        // ('#' lines are deb822 comments: they carry nothing, neither opening nor extending a field.)
        if (!stanza.open) {
          stanza.begin(lineNumber);
        }
        currentField = field(stanza, text, position, contentEnd, lineNumber);
      }
      position = next;
    }
    if (stanza.open) {
      handler.accept(stanza);
    }
  }

  /** Parses a {@code Name: value} line; returns the field index, {@link #UNKNOWN_FIELD} or reports. */
  private int field(Stanza stanza, String text, int lineStart, int lineEnd, int lineNumber) {
    int colon = -1;
    for (int i = lineStart; i < lineEnd; i++) {
      char c = text.charAt(i);
      if (c == ':') {
        colon = i;
        break;
      }
      if (c == ' ' || c == '\t') {
        break;
      }
    }
    if (colon <= lineStart) {
      stanza.problem(lineNumber, "line is not a 'Field: value' pair: '" + excerpt(text, lineStart, lineEnd) + "'");
      return UNKNOWN_FIELD;
    }
    int nameLength = colon - lineStart;
    for (int index = 0; index < fieldNames.length; index++) {
      String name = fieldNames[index];
      if (name.length() == nameLength && text.regionMatches(true, lineStart, name, 0, nameLength)) {
        if (stanza.start[index] >= 0) {
          stanza.problem(lineNumber, "duplicate field " + name);
          return UNKNOWN_FIELD;
        }
        int valueStart = colon + 1;
        while (valueStart < lineEnd && (text.charAt(valueStart) == ' ' || text.charAt(valueStart) == '\t')) {
          valueStart++;
        }
        stanza.start[index] = valueStart;
        stanza.end[index] = lineEnd;
        stanza.line[index] = lineNumber;
        return index;
      }
    }
    return UNKNOWN_FIELD;
  }

  private static boolean isBlank(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c != ' ' && c != '\t') {
        return false;
      }
    }
    return true;
  }

  private static String excerpt(String text, int from, int to) {
    return to - from <= 60 ? text.substring(from, to) : text.substring(from, from + 60) + "…";
  }

  private static final int NO_FIELD = -2;
  private static final int UNKNOWN_FIELD = -1;

  /** One stanza's located fields; valid only inside the callback of {@link #read}. */
  public static final class Stanza {
    private final String file;
    private final String text;
    private final int[] start;
    private final int[] end;
    private final int[] line;
    private final List<ParseProblem> problems = new ArrayList<>(0);
    private boolean open;
    private int firstLine;

    private Stanza(String file, String text, int fields) {
      this.file = file;
      this.text = text;
      this.start = new int[fields];
      this.end = new int[fields];
      this.line = new int[fields];
      reset();
    }

    private void begin(int lineNumber) {
      open = true;
      firstLine = lineNumber;
    }

    private void reset() {
      Arrays.fill(start, -1);
      problems.clear();
      open = false;
    }

    private void problem(int lineNumber, String message) {
      problems.add(new ParseProblem(file, lineNumber, message));
    }

    /** The line the stanza starts on. */
    public int firstLine() {
      return firstLine;
    }

    /** Whether the field with this index is present. */
    public boolean has(int field) {
      return start[field] >= 0;
    }

    /**
     * The field's value without the blanks after the colon and at the end; continuation lines are
     * included as they are (newline and leading blank), or null when the field is absent.
     */
    public String value(int field) {
      if (start[field] < 0) {
        return null;
      }
      int from = start[field];
      int to = end[field];
      while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
        to--;
      }
      return text.substring(from, to);
    }

    /** The line the field is on, or the stanza's first line when it is absent. */
    public int line(int field) {
      return start[field] >= 0 ? line[field] : firstLine;
    }

    /** Structural problems (stray lines, duplicate fields): a stanza with any is malformed. */
    public List<ParseProblem> problems() {
      return problems;
    }

    /** The file name problems are reported against. */
    public String file() {
      return file;
    }
  }
}
