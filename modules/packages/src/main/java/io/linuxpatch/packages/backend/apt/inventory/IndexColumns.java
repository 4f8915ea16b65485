package io.linuxpatch.packages.backend.apt.inventory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The packages of one apt index, column by column: what a listing and a plan need of each (name, version,
 * summary, installed size, architecture) without an object per package. On a host with 100,000 available packages
 * objects and their headers would cost more than the data (issue 20): here a package is one record in a byte arena
 * ({@code [u16 length][name][u16 length][version][u16 length][summary]}, bytes as the index has them) plus an
 * offset, a size and an architecture code, about 90 bytes in all. {@link AvailablePackage} is a view of one row.
 */
final class IndexColumns {

  /** The longest summary kept (bytes); longer first lines are cut, as no listing shows more. */
  static final int MAX_SUMMARY_BYTES = 1024;
  private static final int MAX_FIELD_BYTES = 0xFFFF;

  private final AptRelease release;
  private final byte[] arena;
  private final int[] at;
  private final int[] sizeKib;
  private final byte[] architecture;
  private final String[] architectures;

  private IndexColumns(AptRelease release, byte[] arena, int[] at, int[] sizeKib, byte[] architecture,
      String[] architectures) {
    this.release = release;
    this.arena = arena;
    this.at = at;
    this.sizeKib = sizeKib;
    this.architecture = architecture;
    this.architectures = architectures;
  }

  /** How many packages the index holds. */
  int size() {
    return at.length;
  }

  AptRelease release() {
    return release;
  }

  String name(int row) {
    int p = at[row];
    return new String(arena, p + 2, length(p), StandardCharsets.ISO_8859_1);
  }

  String version(int row) {
    int p = skip(at[row]);
    return new String(arena, p + 2, length(p), StandardCharsets.ISO_8859_1);
  }

  /** The summary as UTF-8 text (the index's bytes decoded as UTF-8). */
  String summary(int row) {
    int p = skip(skip(at[row]));
    return new String(arena, p + 2, length(p), StandardCharsets.UTF_8);
  }

  String architecture(int row) {
    return architectures[architecture[row]];
  }

  /** Installed-Size in KiB, -1 when absent. */
  int installedSizeKib(int row) {
    return sizeKib[row];
  }

  /** Orders this row's name against another index's row's name, as {@link String#compareTo} orders names. */
  int compareName(int row, IndexColumns other, int otherRow) {
    int p = at[row];
    int q = other.at[otherRow];
    return Arrays.compareUnsigned(arena, p + 2, p + 2 + length(p), other.arena, q + 2, q + 2 + other.length(q));
  }

  /** Orders this row's name against {@code name} given as ISO-8859-1 bytes. */
  int compareName(int row, byte[] name) {
    int p = at[row];
    return Arrays.compareUnsigned(arena, p + 2, p + 2 + length(p), name, 0, name.length);
  }

  private int length(int p) {
    return (arena[p] & 0xFF) << 8 | arena[p + 1] & 0xFF;
  }

  private int skip(int p) {
    return p + 2 + length(p);
  }

  /** Collects rows while an index is read; arrays grow by doubling and are trimmed once at the end. */
  static final class Builder {
    private final AptRelease release;
    private byte[] arena = new byte[64 * 1024];
    private int arenaSize;
    private int[] at = new int[1024];
    private int[] sizeKib = new int[1024];
    private byte[] architecture = new byte[1024];
    private String[] architectures = new String[4];
    private int architectureCount;
    private int rows;

    Builder(AptRelease release) {
      this.release = release;
    }

    /**
     * Adds a package; name and version are the index's text (ISO-8859-1 chars, one per byte), the summary its
     * bytes.
     */
    void add(String name, String version, String architectureName, int installedSizeKib, byte[] summary) {
      if (rows == at.length) {
        int grown = rows * 2;
        at = Arrays.copyOf(at, grown);
        sizeKib = Arrays.copyOf(sizeKib, grown);
        architecture = Arrays.copyOf(architecture, grown);
      }
      at[rows] = arenaSize;
      sizeKib[rows] = installedSizeKib;
      architecture[rows] = architectureCode(architectureName);
      append(name.getBytes(StandardCharsets.ISO_8859_1), MAX_FIELD_BYTES);
      append(version.getBytes(StandardCharsets.ISO_8859_1), MAX_FIELD_BYTES);
      append(summary, MAX_SUMMARY_BYTES);
      rows++;
    }

    IndexColumns build() {
      return new IndexColumns(release, Arrays.copyOf(arena, arenaSize), Arrays.copyOf(at, rows),
          Arrays.copyOf(sizeKib, rows), Arrays.copyOf(architecture, rows),
          Arrays.copyOf(architectures, architectureCount));
    }

    private void append(byte[] bytes, int max) {
      int length = Math.min(bytes.length, max);
      if (arenaSize + 2 + length > arena.length) {
        arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaSize + 2 + length));
      }
      arena[arenaSize++] = (byte) (length >>> 8);
      arena[arenaSize++] = (byte) length;
      System.arraycopy(bytes, 0, arena, arenaSize, length);
      arenaSize += length;
    }

    /** Architectures are a small vocabulary (amd64, all, i386…); more than 127 in one index is refused. */
    private byte architectureCode(String name) {
      for (int i = 0; i < architectureCount; i++) {
        if (architectures[i].equals(name)) {
          return (byte) i;
        }
      }
      if (architectureCount == Byte.MAX_VALUE) {
        throw new IllegalStateException("more than " + Byte.MAX_VALUE + " architectures in one index");
      }
      if (architectureCount == architectures.length) {
        architectures = Arrays.copyOf(architectures, architectureCount * 2);
      }
      architectures[architectureCount] = name;
      return (byte) architectureCount++;
    }
  }
}
