package io.linuxpatch.packages.inventory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every version apt's downloaded indices offer, with the problems met reading them.
 *
 * <p>Held as one array sorted by name (versions of one name in lists-file order) and searched by bisection:
 * on a host with 100,000 available packages a hash map of lists would cost more than the packages themselves.
 */
public final class AptLists {

  private static final Comparator<AvailablePackage> BY_NAME = Comparator.comparing(AvailablePackage::name);

  /** No lists at all (apt never ran {@code update}, or the backend has no lists). */
  public static final AptLists EMPTY = new AptLists(new AvailablePackage[0], List.of());

  private final AvailablePackage[] sorted;
  private final List<ParseProblem> problems;
  private final int names;

  private AptLists(AvailablePackage[] sorted, List<ParseProblem> problems) {
    this.sorted = sorted;
    this.problems = List.copyOf(problems);
    int distinct = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || !sorted[i].name().equals(sorted[i - 1].name())) {
        distinct++;
      }
    }
    this.names = distinct;
  }

  /**
   * The lists of several indices read in lists-file order: the packages are sorted by name with a stable sort,
   * so versions of one name keep that order.
   */
  static AptLists of(List<AvailablePackage[]> indicesInFileOrder, List<ParseProblem> problems) {
    int total = 0;
    for (AvailablePackage[] index : indicesInFileOrder) {
      total += index.length;
    }
    AvailablePackage[] all = new AvailablePackage[total];
    int at = 0;
    for (AvailablePackage[] index : indicesInFileOrder) {
      System.arraycopy(index, 0, all, at, index.length);
      at += index.length;
    }
    Arrays.sort(all, BY_NAME);
    return new AptLists(all, problems);
  }

  /** Every version of {@code name}, in lists-file order; empty when no index offers it. */
  public List<AvailablePackage> versions(String name) {
    int from = first(name);
    if (from < 0) {
      return List.of();
    }
    int to = from;
    while (to < sorted.length && sorted[to].name().equals(name)) {
      to++;
    }
    return Arrays.asList(sorted).subList(from, to);
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
    if (from < 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(newestFrom(from, architecture));
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
      AvailablePackage best = newestFrom(i, "");
      newest.add(best);
      String name = sorted[i].name();
      while (i < sorted.length && sorted[i].name().equals(name)) {
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

  /** Every version, sorted by name, versions of one name in lists-file order. */
  public List<AvailablePackage> all() {
    return List.of(sorted);
  }

  private AvailablePackage newestFrom(int from, String architecture) {
    String name = sorted[from].name();
    AvailablePackage best = null;
    for (int i = from; i < sorted.length && sorted[i].name().equals(name); i++) {
      AvailablePackage candidate = sorted[i];
      if (candidate.fits(architecture) && (best == null || candidate.version().isNewerThan(best.version()))) {
        best = candidate;
      }
    }
    return best;
  }

  /** The index of the first version of {@code name}, -1 when there is none. */
  private int first(String name) {
    int low = 0;
    int high = sorted.length - 1;
    int found = -1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      int order = sorted[middle].name().compareTo(name);
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
