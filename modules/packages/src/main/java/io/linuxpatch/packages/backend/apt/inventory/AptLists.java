package io.linuxpatch.packages.backend.apt.inventory;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every version apt's downloaded indices offer, with the problems met reading them.
 *
 * <p>Held as the indices' {@link IndexColumns} plus one array of package ids sorted by name (versions of one name
 * in lists-file order), searched by bisection: on a host with 100,000 available packages, a map or an object per
 * package would cost more than the packages themselves (issue 20). An id is {@code index << 32 | row}.
 */
public final class AptLists {

  /** No lists at all (apt never ran {@code update}, or the backend has no lists). */
  public static final AptLists EMPTY = new AptLists(List.of(), new long[0], List.of());

  private final List<IndexColumns> indices;
  private final long[] sorted;
  private final List<ParseProblem> problems;
  private final int names;

  private AptLists(List<IndexColumns> indices, long[] sorted, List<ParseProblem> problems) {
    this.indices = List.copyOf(indices);
    this.sorted = sorted;
    this.problems = List.copyOf(problems);
    int distinct = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || compareNames(sorted[i], sorted[i - 1]) != 0) {
        distinct++;
      }
    }
    this.names = distinct;
  }

  /** The lists of several indices read in lists-file order: a stable sort by name keeps that order per name. */
  static AptLists of(List<IndexColumns> indicesInFileOrder, List<ParseProblem> problems) {
    int total = 0;
    for (IndexColumns index : indicesInFileOrder) {
      total += index.size();
    }
    Long[] ids = new Long[total];
    int at = 0;
    for (int index = 0; index < indicesInFileOrder.size(); index++) {
      for (int row = 0; row < indicesInFileOrder.get(index).size(); row++) {
        ids[at++] = (long) index << 32 | row;
      }
    }
    AptLists unsorted = new AptLists(indicesInFileOrder, new long[0], problems);
    Arrays.sort(ids, (Comparator<Long>) unsorted::compareNames);
    long[] sorted = new long[total];
    for (int i = 0; i < total; i++) {
      sorted[i] = ids[i];
    }
    return new AptLists(indicesInFileOrder, sorted, problems);
  }

  /** Every version of {@code name}, in lists-file order; empty when no index offers it. */
  public List<AvailablePackage> versions(String name) {
    int from = first(name);
    if (from < 0) {
      return List.of();
    }
    List<AvailablePackage> versions = new ArrayList<>(2);
    for (int i = from; i < sorted.length && compareNames(sorted[i], sorted[from]) == 0; i++) {
      versions.add(view(sorted[i]));
    }
    return versions;
  }

  /** Whether some index offers {@code name}. */
  public boolean offers(String name) {
    return first(name) >= 0;
  }

  /**
   * The highest version of {@code name} that fits {@code architecture} (see {@link AvailablePackage#fits});
   * between equal versions the first file in name order wins. apt's real candidate also weighs pinning
   * and phasing: this is the fast answer for listings, not the plan.
   */
  public Optional<AvailablePackage> newest(String name, String architecture) {
    int from = first(name);
    return from < 0 ? Optional.empty() : Optional.ofNullable(newestFrom(from, architecture));
  }

  /** The highest version of {@code name} on any architecture. */
  public Optional<AvailablePackage> newest(String name) {
    return newest(name, "");
  }

  /** Each distinct name, in name order, with its newest version on any architecture. */
  public List<AvailablePackage> newestOfEachName() {
    List<AvailablePackage> newest = new ArrayList<>(names);
    int i = 0;
    while (i < sorted.length) {
      newest.add(newestFrom(i, ""));
      int from = i;
      while (i < sorted.length && compareNames(sorted[i], sorted[from]) == 0) {
        i++;
      }
    }
    return newest;
  }

  /** How many versions all indices offer together. */
  public int size() {
    return sorted.length;
  }

  /** How many distinct package names the indices offer. */
  public int names() {
    return names;
  }

  /** What could not be read, in the order met. */
  public List<ParseProblem> problems() {
    return problems;
  }

  /** Every version, sorted by name, versions of one name in lists-file order (views made as they are read). */
  public List<AvailablePackage> all() {
    return new AbstractList<>() {
      @Override
      public AvailablePackage get(int index) {
        return view(sorted[index]);
      }

      @Override
      public int size() {
        return sorted.length;
      }
    };
  }

  /** The position of the first version of each distinct name, in name order. */
  int[] firstOfEachName() {
    int[] firsts = new int[names];
    int n = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || compareNames(sorted[i], sorted[i - 1]) != 0) {
        firsts[n++] = i;
      }
    }
    return firsts;
  }

  /** The newest version on any architecture of the name whose first version is at {@code position}. */
  AvailablePackage newestAt(int position) {
    return newestFrom(position, "");
  }

  /** The name at {@code position}. */
  String nameAt(int position) {
    long id = sorted[position];
    return indices.get((int) (id >>> 32)).name((int) id);
  }

  private AvailablePackage view(long id) {
    return new AvailablePackage(indices.get((int) (id >>> 32)), (int) id);
  }

  private int compareNames(long a, long b) {
    return indices.get((int) (a >>> 32)).compareName((int) a, indices.get((int) (b >>> 32)), (int) b);
  }

  private AvailablePackage newestFrom(int from, String architecture) {
    AvailablePackage best = null;
    for (int i = from; i < sorted.length && (i == from || compareNames(sorted[i], sorted[from]) == 0); i++) {
      AvailablePackage candidate = view(sorted[i]);
      if (candidate.fits(architecture) && (best == null || candidate.version().isNewerThan(best.version()))) {
        best = candidate;
      }
    }
    return best;
  }

  /** The position of the first version of {@code name}, -1 when there is none. */
  private int first(String name) {
    byte[] key = name.getBytes(StandardCharsets.ISO_8859_1);
    int low = 0;
    int high = sorted.length - 1;
    int found = -1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      long id = sorted[middle];
      int order = indices.get((int) (id >>> 32)).compareName((int) id, key);
      if (order < 0) {
        low = middle + 1;
      } else {
        if (order == 0) {
          found = middle;
        }
        high = middle - 1;
      }
    }
    return found;
  }
}
