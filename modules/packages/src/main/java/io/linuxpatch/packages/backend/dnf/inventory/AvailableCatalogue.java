package io.linuxpatch.packages.backend.dnf.inventory;

import io.linuxpatch.packages.backend.dnf.version.RpmVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every package version the repositories offer, column by column (issue 20's discipline: a Fedora host with EPEL
 * offers some 80,000 versions, and an object per version would cost more than its data). A version is one record in
 * a byte arena — {@code [u16 length][name][u16][evr][u16][arch][u16][summary]}, UTF-8, the EVR in dnf's form — plus
 * an offset, an installed size and a repository code; about 100 bytes in all. Rows are in name order, so the
 * versions of one name are adjacent and found by bisection. What the listing, details, name rules and rollback need;
 * the rest of dnf's metadata (URLs, source rpms, dependencies) is asked of dnf when one package is shown.
 *
 * <p>Built by {@link #builder()} from {@link AvailableRpmQuery}'s records as dnf prints them; immutable once built,
 * safe from any thread.
 */
public final class AvailableCatalogue {

  /** The longest summary kept (bytes): no listing shows more. */
  static final int MAX_SUMMARY_BYTES = 1024;
  private static final int MAX_FIELD_BYTES = 0xFFFF;

  /** An empty catalogue: no repository metadata in the cache yet. */
  public static final AvailableCatalogue EMPTY = builder().build();

  private final byte[] arena;
  private final int[] at;
  private final long[] installedSize;
  private final short[] repository;
  private final String[] repositories;
  /** The first row of each name, in name order. */
  private final int[] firsts;

  private AvailableCatalogue(byte[] arena, int[] at, long[] installedSize, short[] repository, String[] repositories,
      int[] firsts) {
    this.arena = arena;
    this.at = at;
    this.installedSize = installedSize;
    this.repository = repository;
    this.repositories = repositories;
    this.firsts = firsts;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** How many versions the repositories offer. */
  public int size() {
    return at.length;
  }

  /** How many distinct names. */
  public int names() {
    return firsts.length;
  }

  /** The first row of the {@code index}-th name in name order. */
  public int firstOfName(int index) {
    return firsts[index];
  }

  public String name(int row) {
    return field(at[row]);
  }

  /** The EVR in dnf's form ({@code 1.1-1}, {@code 2:1.0-3}). */
  public String evr(int row) {
    return field(skip(at[row]));
  }

  public String arch(int row) {
    return field(skip(skip(at[row])));
  }

  public String summary(int row) {
    return field(skip(skip(skip(at[row]))));
  }

  /** The repository id the version comes from. */
  public String repository(int row) {
    return repositories[repository[row]];
  }

  /** What the version takes once installed, in bytes. */
  public long installedSizeBytes(int row) {
    return installedSize[row];
  }

  /** The rows of {@code name}: from the returned first (inclusive) to {@link #endOfName} (exclusive); -1 if none. */
  public int firstRow(String name) {
    byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
    int low = 0;
    int high = firsts.length - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      int order = compareName(firsts[middle], wanted);
      if (order < 0) {
        low = middle + 1;
      } else if (order > 0) {
        high = middle - 1;
      } else {
        return firsts[middle];
      }
    }
    return -1;
  }

  /** The row after the last of the name that starts at {@code first}. */
  public int endOfName(int first) {
    int end = first + 1;
    while (end < at.length && sameName(first, end)) {
      end++;
    }
    return end;
  }

  /** Whether a repository offers a package of exactly this name. */
  public boolean knows(String name) {
    return firstRow(name) >= 0;
  }

  /**
   * The newest version of {@code name} for {@code arch} (rows of that architecture, or noarch on either side), -1
   * when none; with a null {@code arch} the newest of any architecture.
   */
  public int newest(String name, String arch) {
    int first = firstRow(name);
    if (first < 0) {
      return -1;
    }
    int best = -1;
    RpmVersion bestVersion = null;
    for (int row = first, end = endOfName(first); row < end; row++) {
      if (arch != null && !fits(arch(row), arch)) {
        continue;
      }
      RpmVersion version = RpmVersion.parse(evr(row));
      if (best < 0 || version.compareTo(bestVersion) > 0) {
        best = row;
        bestVersion = version;
      }
    }
    return best;
  }

  /** The rows of {@code name} whose EVR equals {@code evr} in rpm's order, in row order. */
  public List<Integer> rowsOf(String name, String evr) {
    RpmVersion wanted = RpmVersion.parse(evr);
    List<Integer> rows = new ArrayList<>();
    int first = firstRow(name);
    if (first >= 0) {
      for (int row = first, end = endOfName(first); row < end; row++) {
        if (RpmVersion.parse(evr(row)).compareTo(wanted) == 0) {
          rows.add(row);
        }
      }
    }
    return rows;
  }

  private static boolean fits(String offered, String installed) {
    return offered.equals(installed) || offered.equals("noarch") || installed.equals("noarch");
  }

  private boolean sameName(int a, int b) {
    int p = at[a];
    int q = at[b];
    return Arrays.equals(arena, p + 2, p + 2 + length(p), arena, q + 2, q + 2 + length(q));
  }

  private int compareName(int row, byte[] name) {
    int p = at[row];
    return Arrays.compareUnsigned(arena, p + 2, p + 2 + length(p), name, 0, name.length);
  }

  private String field(int p) {
    return new String(arena, p + 2, length(p), StandardCharsets.UTF_8);
  }

  private int skip(int p) {
    return p + 2 + length(p);
  }

  private int length(int p) {
    return ((arena[p] & 0xFF) << 8) | (arena[p + 1] & 0xFF);
  }

  /** Collects versions as dnf prints them, in any order; {@link #build} sorts them by name once. */
  public static final class Builder implements Consumer<AvailableRpm> {

    private byte[] arena = new byte[64 * 1024];
    private int used;
    private int[] at = new int[256];
    private long[] installedSize = new long[256];
    private short[] repository = new short[256];
    private int count;
    private final Map<String, Short> repositoryCodes = new HashMap<>();
    private final List<String> repositories = new ArrayList<>();

    private Builder() {
    }

    @Override
    public void accept(AvailableRpm rpm) {
      if (count == at.length) {
        int grown = count * 2;
        at = Arrays.copyOf(at, grown);
        installedSize = Arrays.copyOf(installedSize, grown);
        repository = Arrays.copyOf(repository, grown);
      }
      at[count] = used;
      put(rpm.name().getBytes(StandardCharsets.UTF_8), MAX_FIELD_BYTES);
      put(rpm.evr().dnfForm().getBytes(StandardCharsets.UTF_8), MAX_FIELD_BYTES);
      put(rpm.arch().getBytes(StandardCharsets.UTF_8), MAX_FIELD_BYTES);
      put(rpm.summary().getBytes(StandardCharsets.UTF_8), MAX_SUMMARY_BYTES);
      installedSize[count] = rpm.installedSizeBytes();
      repository[count] = repositoryCodes.computeIfAbsent(rpm.repository(), id -> {
        repositories.add(id);
        return (short) (repositories.size() - 1);
      });
      count++;
    }

    /** How many versions were collected so far. */
    public int size() {
      return count;
    }

    private void put(byte[] bytes, int max) {
      int length = Math.min(bytes.length, max);
      if (length < bytes.length) {
        // cut on a UTF-8 character boundary
        while (length > 0 && (bytes[length] & 0xC0) == 0x80) {
          length--;
        }
      }
      if (used + 2 + length > arena.length) {
        arena = Arrays.copyOf(arena, Math.max(arena.length * 2, used + 2 + length));
      }
      arena[used] = (byte) (length >>> 8);
      arena[used + 1] = (byte) length;
      System.arraycopy(bytes, 0, arena, used + 2, length);
      used += 2 + length;
    }

    public AvailableCatalogue build() {
      byte[] finalArena = Arrays.copyOf(arena, used);
      int[] order = new int[count];
      for (int i = 0; i < count; i++) {
        order[i] = i;
      }
      // dnf prints repoquery lines sorted, so this is usually one pass; otherwise a merge sort of row numbers.
      if (!sortedByName(order, finalArena)) {
        mergeSort(order, new int[count], 0, count, finalArena);
      }
      int[] sortedAt = new int[count];
      long[] sortedSize = new long[count];
      short[] sortedRepository = new short[count];
      for (int i = 0; i < count; i++) {
        sortedAt[i] = at[order[i]];
        sortedSize[i] = installedSize[order[i]];
        sortedRepository[i] = repository[order[i]];
      }
      int[] firsts = new int[count];
      int names = 0;
      for (int i = 0; i < count; i++) {
        if (i == 0 || compareNames(finalArena, sortedAt[i - 1], sortedAt[i]) != 0) {
          firsts[names++] = i;
        }
      }
      return new AvailableCatalogue(finalArena, sortedAt, sortedSize, sortedRepository,
          repositories.toArray(String[]::new), Arrays.copyOf(firsts, names));
    }

    private boolean sortedByName(int[] order, byte[] bytes) {
      for (int i = 1; i < order.length; i++) {
        if (compareNames(bytes, at[order[i - 1]], at[order[i]]) > 0) {
          return false;
        }
      }
      return true;
    }

    private void mergeSort(int[] rows, int[] scratch, int from, int to, byte[] bytes) {
      if (to - from < 2) {
        return;
      }
      int middle = (from + to) >>> 1;
      mergeSort(rows, scratch, from, middle, bytes);
      mergeSort(rows, scratch, middle, to, bytes);
      System.arraycopy(rows, from, scratch, from, to - from);
      int left = from;
      int right = middle;
      for (int i = from; i < to; i++) {
        if (right >= to || left < middle && compareNames(bytes, at[scratch[left]], at[scratch[right]]) <= 0) {
          rows[i] = scratch[left++];
        } else {
          rows[i] = scratch[right++];
        }
      }
    }

    private static int compareNames(byte[] bytes, int p, int q) {
      int lp = ((bytes[p] & 0xFF) << 8) | (bytes[p + 1] & 0xFF);
      int lq = ((bytes[q] & 0xFF) << 8) | (bytes[q + 1] & 0xFF);
      return Arrays.compareUnsigned(bytes, p + 2, p + 2 + lp, bytes, q + 2, q + 2 + lq);
    }
  }
}
