package io.linuxpatch.packages.backend.pacman.inventory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The packages of one pacman database (the local one, or one sync repository) column by column, sorted by name:
 * a row is one record in a byte arena ({@code [varint length][UTF-8 bytes]} for each text {@link DescField} in
 * order, multi-valued fields joined with {@code \n}) plus an offset and a few numbers, so that 15,000 packages cost
 * a handful of arrays rather than hundreds of thousands of objects (issue 20). {@link PacmanPackage} is a view of
 * one row, made when asked for.
 */
final class PackageColumns {

  private final String database;
  private final byte[] arena;
  private final int[] at;
  private final long[] installedSize;
  private final long[] downloadSize;
  private final long[] buildDate;
  private final long[] installDate;
  private final byte[] reason;

  private PackageColumns(String database, byte[] arena, int[] at, long[] installedSize, long[] downloadSize,
      long[] buildDate, long[] installDate, byte[] reason) {
    this.database = database;
    this.arena = arena;
    this.at = at;
    this.installedSize = installedSize;
    this.downloadSize = downloadSize;
    this.buildDate = buildDate;
    this.installDate = installDate;
    this.reason = reason;
  }

  static PackageColumns empty(String database) {
    return new Builder(database).build();
  }

  /** {@code local}, or the sync repository's name. */
  String database() {
    return database;
  }

  int size() {
    return at.length;
  }

  /** A text field's value as stored (multi-valued fields joined with {@code \n}); "" when absent. */
  String text(int row, DescField field) {
    int p = at[row];
    for (int i = 0; i < field.ordinal(); i++) {
      p = skip(p);
    }
    int length = varint(p);
    int start = p + varintSize(length);
    return new String(arena, start, length, StandardCharsets.UTF_8);
  }

  long installedSize(int row) {
    return installedSize[row];
  }

  long downloadSize(int row) {
    return downloadSize[row];
  }

  long buildDate(int row) {
    return buildDate[row];
  }

  long installDate(int row) {
    return installDate[row];
  }

  int reason(int row) {
    return reason[row];
  }

  /** The row of the package named {@code name}, or -1. */
  int find(String name) {
    byte[] key = name.getBytes(StandardCharsets.UTF_8);
    int low = 0;
    int high = at.length - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int p = at[mid];
      int length = varint(p);
      int start = p + varintSize(length);
      int order = Arrays.compareUnsigned(arena, start, start + length, key, 0, key.length);
      if (order < 0) {
        low = mid + 1;
      } else if (order > 0) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** Bytes held by the arrays: what the columns cost in memory, give or take the array headers. */
  long retainedBytes() {
    return arena.length + 4L * at.length + 8L * 4 * at.length + reason.length;
  }

  private int skip(int p) {
    int length = varint(p);
    return p + varintSize(length) + length;
  }

  private int varint(int p) {
    int value = 0;
    int shift = 0;
    while (true) {
      int b = arena[p++] & 0xFF;
      value |= (b & 0x7F) << shift;
      if (b < 0x80) {
        return value;
      }
      shift += 7;
    }
  }

  private static int varintSize(int value) {
    return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5;
  }

  /**
   * Collects rows while a database is read, one field value at a time; arrays grow by doubling and are trimmed,
   * and the rows sorted by name, once at the end. Not for concurrent use.
   */
  static final class Builder {
    /** A single field longer than this is cut: no real desc value comes near it. */
    static final int MAX_FIELD_BYTES = 1 << 20;

    private final String database;
    private byte[] arena = new byte[64 * 1024];
    private int arenaSize;
    private int[] at = new int[256];
    private long[] installedSize = new long[256];
    private long[] downloadSize = new long[256];
    private long[] buildDate = new long[256];
    private long[] installDate = new long[256];
    private byte[] reason = new byte[256];
    private int rows;

    // the row being read
    private final byte[][] values = new byte[DescField.TEXT_FIELDS][];
    private final int[] valueLengths = new int[DescField.TEXT_FIELDS];
    private final long[] numbers = new long[DescField.values().length];

    Builder(String database) {
      this.database = database;
      for (int i = 0; i < values.length; i++) {
        values[i] = new byte[64];
      }
    }

    /** Starts a row; what a previous unfinished row collected is dropped. */
    void begin() {
      Arrays.fill(valueLengths, 0);
      Arrays.fill(numbers, -1);
    }

    /** One value line of {@code field}; multi-valued fields collect their lines joined with {@code \n}. */
    void value(DescField field, byte[] line, int from, int to) {
      if (!field.text) {
        numbers[field.ordinal()] = parseNumber(line, from, to);
        return;
      }
      int i = field.ordinal();
      int length = valueLengths[i];
      if (!field.multiValued) {
        length = 0; // a repeated single value: the last one wins, as in libalpm
      } else if (length > 0) {
        length = append(i, length, new byte[] {'\n'}, 0, 1);
      }
      valueLengths[i] = append(i, length, line, from, to);
    }

    /** The current row's value of a text field so far ("" when absent), for checks before {@link #end}. */
    String current(DescField field) {
      return new String(values[field.ordinal()], 0, valueLengths[field.ordinal()], StandardCharsets.UTF_8);
    }

    /**
     * Ends the row and keeps it.
     *
     * @return null when kept, else why not (no name or no version)
     */
    String end() {
      if (valueLengths[DescField.NAME.ordinal()] == 0) {
        return "no %NAME%";
      }
      if (valueLengths[DescField.VERSION.ordinal()] == 0) {
        return "no %VERSION%";
      }
      if (rows == at.length) {
        int grown = rows * 2;
        at = Arrays.copyOf(at, grown);
        installedSize = Arrays.copyOf(installedSize, grown);
        downloadSize = Arrays.copyOf(downloadSize, grown);
        buildDate = Arrays.copyOf(buildDate, grown);
        installDate = Arrays.copyOf(installDate, grown);
        reason = Arrays.copyOf(reason, grown);
      }
      at[rows] = arenaSize;
      for (int i = 0; i < DescField.TEXT_FIELDS; i++) {
        int length = valueLengths[i];
        ensureArena(5 + length);
        int v = length;
        while (v >= 0x80) {
          arena[arenaSize++] = (byte) (v & 0x7F | 0x80);
          v >>>= 7;
        }
        arena[arenaSize++] = (byte) v;
        System.arraycopy(values[i], 0, arena, arenaSize, length);
        arenaSize += length;
      }
      long size = numbers[DescField.SIZE.ordinal()];
      installedSize[rows] = size >= 0 ? size : numbers[DescField.INSTALLED_SIZE.ordinal()];
      downloadSize[rows] = numbers[DescField.DOWNLOAD_SIZE.ordinal()];
      buildDate[rows] = numbers[DescField.BUILD_DATE.ordinal()];
      installDate[rows] = numbers[DescField.INSTALL_DATE.ordinal()];
      reason[rows] = (byte) (numbers[DescField.REASON.ordinal()] == 1 ? 1 : 0);
      rows++;
      return null;
    }

    int rows() {
      return rows;
    }

    /** The columns, rows sorted by name (bytes, as pacman's own names sort in {@code pacman -Q}). */
    PackageColumns build() {
      byte[] trimmed = Arrays.copyOf(arena, arenaSize);
      Integer[] order = new Integer[rows];
      for (int i = 0; i < rows; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (x, y) -> compareNames(trimmed, at[x], at[y]));
      int[] sortedAt = new int[rows];
      long[] sortedInstalled = new long[rows];
      long[] sortedDownload = new long[rows];
      long[] sortedBuild = new long[rows];
      long[] sortedInstall = new long[rows];
      byte[] sortedReason = new byte[rows];
      for (int i = 0; i < rows; i++) {
        int r = order[i];
        sortedAt[i] = at[r];
        sortedInstalled[i] = installedSize[r];
        sortedDownload[i] = downloadSize[r];
        sortedBuild[i] = buildDate[r];
        sortedInstall[i] = installDate[r];
        sortedReason[i] = reason[r];
      }
      return new PackageColumns(database, trimmed, sortedAt, sortedInstalled, sortedDownload, sortedBuild,
          sortedInstall, sortedReason);
    }

    /** Names that occur in more than one row (a broken database); empty normally. */
    static List<String> duplicates(PackageColumns columns) {
      List<String> duplicates = new ArrayList<>();
      for (int i = 1; i < columns.size(); i++) {
        String name = columns.text(i, DescField.NAME);
        if (name.equals(columns.text(i - 1, DescField.NAME))) {
          duplicates.add(name);
        }
      }
      return duplicates;
    }

    private int append(int field, int length, byte[] source, int from, int to) {
      int count = Math.min(to - from, MAX_FIELD_BYTES - length);
      if (count <= 0) {
        return length;
      }
      byte[] buffer = values[field];
      if (length + count > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + count));
        values[field] = buffer;
      }
      System.arraycopy(source, from, buffer, length, count);
      return length + count;
    }

    private void ensureArena(int more) {
      if (arenaSize + more > arena.length) {
        arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaSize + more));
      }
    }

    /** Decimal digits; -1 when the value is not a number (the field is then treated as absent). */
    private static long parseNumber(byte[] line, int from, int to) {
      if (from == to || to - from > 18) {
        return -1;
      }
      long value = 0;
      for (int i = from; i < to; i++) {
        int digit = line[i] - '0';
        if (digit < 0 || digit > 9) {
          return -1;
        }
        value = value * 10 + digit;
      }
      return value;
    }

    private static int compareNames(byte[] arena, int p, int q) {
      int[] pp = lengthAndStart(arena, p);
      int[] qq = lengthAndStart(arena, q);
      return Arrays.compareUnsigned(arena, pp[1], pp[1] + pp[0], arena, qq[1], qq[1] + qq[0]);
    }

    private static int[] lengthAndStart(byte[] arena, int p) {
      int value = 0;
      int shift = 0;
      int i = p;
      while (true) {
        int b = arena[i++] & 0xFF;
        value |= (b & 0x7F) << shift;
        if (b < 0x80) {
          return new int[] {value, i};
        }
        shift += 7;
      }
    }
  }
}
