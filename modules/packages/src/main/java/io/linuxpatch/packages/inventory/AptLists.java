package io.linuxpatch.packages.inventory;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every version apt's downloaded indices offer, by package name, with the problems met reading them.
 *
 * @param byName   the versions of each package, in lists-file order (file names sorted)
 * @param problems in the order met
 */
public record AptLists(Map<String, List<AvailablePackage>> byName, List<ParseProblem> problems) {

  /** No lists at all (apt never ran {@code update}, or the backend has no lists). */
  public static final AptLists EMPTY = new AptLists(Map.of(), List.of());

  public AptLists {
    Map<String, List<AvailablePackage>> copy = new HashMap<>(byName.size() * 4 / 3 + 1);
    byName.forEach((name, versions) -> copy.put(name, List.copyOf(versions)));
    byName = Collections.unmodifiableMap(copy);
    problems = List.copyOf(problems);
  }

  /**
   * The highest version of {@code name} that fits {@code architecture} (see {@link AvailablePackage#fits});
   * between equal versions the first file in name order wins. apt's real candidate also weighs pinning
   * and phasing: this is the fast answer for listings, not the plan.
   */
  public Optional<AvailablePackage> newest(String name, String architecture) {
    List<AvailablePackage> versions = byName.get(name);
    if (versions == null) {
      return Optional.empty();
    }
    AvailablePackage best = null;
    for (AvailablePackage candidate : versions) {
      if (candidate.fits(architecture) && (best == null || candidate.version().isNewerThan(best.version()))) {
        best = candidate;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The highest version of {@code name} on any architecture. */
  public Optional<AvailablePackage> newest(String name) {
    return newest(name, "");
  }
}
