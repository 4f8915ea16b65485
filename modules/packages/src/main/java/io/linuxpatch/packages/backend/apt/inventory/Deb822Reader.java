package io.linuxpatch.packages.backend.apt.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits deb822 control text (dpkg's status file, apt's Packages and Release indices) into stanzas and
 * hands each to a callback with the positions of the fields the caller asked for.
 *
 * <p>One pass over the bytes, no regular expressions, and no copies of fields nobody asked for (the
 * Conffiles and checksum lists are most of a status or Release file): a field becomes a string only when the
 * callback asks for its value. A line that is neither a field, a continuation nor a comment makes its stanza
 * malformed rather than the whole file. Streams are read a chunk at a time, so a Packages index of 100 MB
 * never sits in memory whole (issue 20).
 */
public final class Deb822Reader {

  /** How much of a stream is scanned at once: a few hundred stanzas of a Packages index. */
  private static final int STREAM_CHUNK = 1 << 20;
  private static final int NO_FIELD = -2;
  private static final int UNKNOWN_FIELD = -1;

  private final byte[][] fieldNames;

  /** @param fieldNames the fields to locate, matched case-insensitively (ASCII); their order gives the indices */
  public Deb822Reader(List<String> fieldNames) {
    this.fieldNames = fieldNames.stream().map(n -> n.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
  }

  /**
   * Reads every stanza of {@code text} and passes it to {@code handler}, which must not keep the
   * {@link Stanza}: it is reused for the next one. Values come back as the text had them.
   *
   * @param file the file name reported in problems
   */
  public void read(String file, String text, Consumer<Stanza> handler) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    read(file, bytes, bytes.length, 0, StandardCharsets.UTF_8, handler);
  }

  /**
   * Reads every stanza of a file's bytes; values are decoded with {@code charset} (dpkg's status file is
   * UTF-8, and a malformed byte becomes a replacement character rather than a failure).
   */
  public void read(String file, byte[] bytes, Charset charset, Consumer<Stanza> handler) {
    read(file, bytes, bytes.length, 0, charset, handler);
  }

  /**
   * Reads every stanza of a stream without holding more of it than a chunk: the bytes are cut after the last
   * blank line of each chunk, so no stanza is split. Values are decoded as ISO-8859-1 (one char per byte, so a
   * field's chars are its bytes; decode a UTF-8 field again where it may hold UTF-8). Line numbers in problems
   * count from the start of the stream, exactly as reading the whole text would. A stanza longer than
   * {@code maxStanzaBytes} ends the read with an {@link IOException}.
   */
  public void read(String file, InputStream in, int maxStanzaBytes, Consumer<Stanza> handler) throws IOException {
    byte[] buffer = new byte[Math.min(STREAM_CHUNK, maxStanzaBytes)];
    int length = 0;
    int lineBase = 0;
    while (true) {
      int n = in.read(buffer, length, buffer.length - length);
      if (n < 0) {
        if (length > 0) {
          read(file, buffer, length, lineBase, StandardCharsets.ISO_8859_1, handler);
        }
        return;
      }
      length += n;
      if (length < buffer.length) {
        continue;
      }
      int cut = afterLastBlankLine(buffer, length);
      if (cut < 0) {
        if (buffer.length >= maxStanzaBytes) {
          throw new IOException(file + ": a stanza starting at line " + (lineBase + 1) + " is longer than "
              + maxStanzaBytes + " bytes");
        }
        buffer = Arrays.copyOf(buffer, (int) Math.min(maxStanzaBytes, buffer.length * 2L));
        continue;
      }
      lineBase = read(file, buffer, cut, lineBase, StandardCharsets.ISO_8859_1, handler);
      System.arraycopy(buffer, cut, buffer, 0, length - cut);
      length -= cut;
    }
  }

  /**
   * The offset just after the last empty line ({@code \n\n} or {@code \n\r\n}) in {@code bytes[0, length)}, -1
   * when there is none. Cutting there never splits a stanza: what follows starts a new one.
   */
  private static int afterLastBlankLine(byte[] bytes, int length) {
    for (int i = length - 1; i > 0; i--) {
      if (bytes[i] == '\n') {
        if (bytes[i - 1] == '\n') {
          return i + 1;
        }
        if (bytes[i - 1] == '\r' && i > 1 && bytes[i - 2] == '\n') {
          return i + 1;
        }
      }
    }
    return -1;
  }

  /** Reads {@code bytes[0, length)}, whose first line is line {@code lineBase + 1}; returns the last line number. */
  private int read(String file, byte[] bytes, int length, int lineBase, Charset charset, Consumer<Stanza> handler) {
    Stanza stanza = new Stanza(file, bytes, charset, fieldNames.length);
    int position = 0;
    int lineNumber = lineBase;
    int currentField = NO_FIELD;
    while (position < length) {
      lineNumber++;
      int lineEnd = position;
      while (lineEnd < length && bytes[lineEnd] != '\n') {
        lineEnd++;
      }
      int next = lineEnd < length ? lineEnd + 1 : length;
      int contentEnd = lineEnd > position && bytes[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
      byte first = position < contentEnd ? bytes[position] : (byte) '\n';
      if (isBlank(bytes, position, contentEnd)) {
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
        currentField = field(stanza, bytes, position, contentEnd, lineNumber);
      }
      position = next;
    }
    if (stanza.open) {
      handler.accept(stanza);
    }
    return lineNumber;
  }

  /** Parses a {@code Name: value} line; returns the field index, {@link #UNKNOWN_FIELD} or reports. */
  private int field(Stanza stanza, byte[] bytes, int lineStart, int lineEnd, int lineNumber) {
    int colon = -1;
    for (int i = lineStart; i < lineEnd; i++) {
      byte c = bytes[i];
      if (c == ':') {
        colon = i;
        break;
      }
      if (c == ' ' || c == '\t') {
        break;
      }
    }
    if (colon <= lineStart) {
      stanza.problem(lineNumber, "line is not a 'Field: value' pair: '" + stanza.excerpt(lineStart, lineEnd) + "'");
      return UNKNOWN_FIELD;
    }
    int nameLength = colon - lineStart;
    for (int index = 0; index < fieldNames.length; index++) {
      byte[] name = fieldNames[index];
      if (name.length == nameLength && sameIgnoringAsciiCase(bytes, lineStart, name)) {
        if (stanza.start[index] >= 0) {
          stanza.problem(lineNumber, "duplicate field " + new String(name, StandardCharsets.US_ASCII));
          return UNKNOWN_FIELD;
        }
        int valueStart = colon + 1;
        while (valueStart < lineEnd && (bytes[valueStart] == ' ' || bytes[valueStart] == '\t')) {
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

  private static boolean sameIgnoringAsciiCase(byte[] bytes, int from, byte[] name) {
    for (int i = 0; i < name.length; i++) {
      int a = bytes[from + i];
      int b = name[i];
      if (a != b && (!isAsciiLetter(b) || (a | 0x20) != (b | 0x20))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiLetter(int c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  private static boolean isBlank(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      byte c = bytes[i];
      if (c != ' ' && c != '\t') {
        return false;
      }
    }
    return true;
  }

  /** One stanza's located fields; valid only inside the callback of {@link #read}. */
  public static final class Stanza {
    private final String file;
    private final byte[] bytes;
    private final Charset charset;
    private final int[] start;
    private final int[] end;
    private final int[] line;
    private final List<ParseProblem> problems = new ArrayList<>(0);
    private boolean open;
    private int firstLine;

    private Stanza(String file, byte[] bytes, Charset charset, int fields) {
      this.file = file;
      this.bytes = bytes;
      this.charset = charset;
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

    private String excerpt(int from, int to) {
      return to - from <= 60 ? new String(bytes, from, to - from, charset)
          : new String(bytes, from, 60, charset) + "…";
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
      while (to > from && isTrailingBlank(bytes[to - 1])) {
        to--;
      }
      return new String(bytes, from, to - from, charset);
    }

    /** ASCII whitespace, as {@link Character#isWhitespace} defines it for the bytes below 0x80. */
    private static boolean isTrailingBlank(byte b) {
      return b == ' ' || b >= 0x09 && b <= 0x0D || b >= 0x1C && b <= 0x1F;
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
