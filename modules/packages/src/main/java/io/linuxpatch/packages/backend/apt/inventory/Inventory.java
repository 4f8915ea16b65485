package io.linuxpatch.packages.backend.apt.inventory;

import io.linuxpatch.packages.backend.apt.version.DebianVersion;
import io.linuxpatch.packages.listing.PackageListing;
import io.linuxpatch.packages.listing.PackageQuery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * An immutable snapshot of the host's packages (PKG-2): dpkg's status file joined with apt's lists,
 * indexed for listings, lookups and reverse dependencies. Every operation except
 * {@link #details details} with files is a memory operation, safe from any thread.
 */
public final class Inventory {

  private static final Comparator<PackageRow> BY_NAME =
      Comparator.comparing(PackageRow::name).thenComparing(PackageRow::architecture);
  private static final Comparator<DpkgPackage> DPKG_BY_NAME =
      Comparator.comparing(DpkgPackage::name).thenComparing(DpkgPackage::architecture);

  private final InstalledFiles installedFiles;
  private final List<DpkgPackage> packages;
  /** A row per dpkg record, sorted by name then architecture; lookups bisect it. */
  private final PackageRow[] dpkgRows;
  private final AptLists lists;
  /**
   * Where, in the lists, each package that dpkg does not know starts, in name order. No object per such row is
   * kept: a stock host has up to 100,000 of them (issue 20), made into rows only while a listing walks them.
   */
  private final int[] listsOnly;
  private final Map<String, Set<String>> dependents;
  private final List<ParseProblem> problems;

  private Inventory(InstalledFiles installedFiles, ParsedStatusFile status, AptLists lists) {
    this.installedFiles = installedFiles;
    this.packages = status.packages();
    this.lists = lists;
    List<PackageRow> rows = new ArrayList<>(packages.size());
    Set<String> dpkgNames = new HashSet<>(packages.size() * 2);
    for (DpkgPackage dpkg : packages) {
      dpkgNames.add(dpkg.name());
      rows.add(new PackageRow(dpkg, lists.newest(dpkg.name(), dpkg.architecture()).orElse(null)));
    }
    // Name order is the default listing order; the other sorts are stable, so it also breaks their ties.
    rows.sort(BY_NAME);
    this.dpkgRows = rows.toArray(PackageRow[]::new);
    int[] firsts = lists.firstOfEachName();
    int kept = 0;
    for (int position : firsts) {
      if (!dpkgNames.contains(lists.nameAt(position))) {
        firsts[kept++] = position;
      }
    }
    this.listsOnly = Arrays.copyOf(firsts, kept);
    this.dependents = dependents(packages);
    List<ParseProblem> allProblems = new ArrayList<>(status.problems());
    allProblems.addAll(lists.problems());
    this.problems = List.copyOf(allProblems);
  }

  /**
   * Joins a parsed status file and lists.
   *
   * @param dpkgAdminDir the directory whose {@code info/*.list} files hold each package's file list
   */
  public static Inventory of(Path dpkgAdminDir, ParsedStatusFile status, AptLists lists) {
    return new Inventory(new InstalledFiles(dpkgAdminDir.resolve("info")), status, lists);
  }

  /** Installed package name → names of the packages on disk whose Depends or Pre-Depends mention it. */
  private static Map<String, Set<String>> dependents(List<DpkgPackage> packages) {
    Map<String, Set<String>> index = new HashMap<>();
    for (DpkgPackage dpkg : packages) {
      if (!dpkg.state().isPresent()) {
        continue;
      }
      for (List<RelationGroup> field : List.of(dpkg.preDepends(), dpkg.depends())) {
        for (RelationGroup group : field) {
          for (Relation relation : group.alternatives()) {
            index.computeIfAbsent(relation.name(), n -> new TreeSet<>()).add(dpkg.name());
          }
        }
      }
    }
    return index;
  }

  /** Every stanza of the status file that could be read, in file order. */
  public List<DpkgPackage> packages() {
    return packages;
  }

  /** What could not be read from the status file and the lists. */
  public List<ParseProblem> problems() {
    return problems;
  }

  /** The packages marked hold (SPEC's holds), by name. */
  public List<DpkgPackage> holds() {
    return packages.stream().filter(dpkg -> dpkg.state().isHeld()).sorted(DPKG_BY_NAME).toList();
  }

  /** Every version apt's lists offer: what a rollback checks an old version against. */
  public AptLists lists() {
    return lists;
  }

  /**
   * dpkg's record of {@code name} (or {@code name:arch}): the instance on disk if there is one, else the
   * first in architecture order.
   */
  public Optional<DpkgPackage> find(String name) {
    return row(name).flatMap(PackageRow::dpkg);
  }

  /** The page of SPEC endpoint 2: {@code {packages, total, limit, offset}}, total counted before paging. */
  public JsonObject list(PackageQuery query) {
    return PackageListing.list(query, Arrays.asList(dpkgRows), this::forEachRow, PackageRow::sortVersion);
  }

  /** Every row in name order: dpkg's rows merged with the packages only the lists know (names never meet). */
  private void forEachRow(Consumer<PackageRow> action) {
    int d = 0;
    int l = 0;
    while (d < dpkgRows.length || l < listsOnly.length) {
      if (l == listsOnly.length
          || d < dpkgRows.length && dpkgRows[d].name().compareTo(lists.nameAt(listsOnly[l])) < 0) {
        action.accept(dpkgRows[d++]);
      } else {
        action.accept(new PackageRow(null, lists.newestAt(listsOnly[l++])));
      }
    }
  }

  /**
   * One package as SPEC endpoint 3 shows it, empty when neither dpkg nor the lists know {@code name}.
   * With {@code includeFiles} it reads the package's file list and stats it for {@code installed_at}:
   * call it from a worker.
   */
  public Optional<JsonObject> details(String name, boolean includeFiles) throws IOException {
    Optional<PackageRow> row = row(name);
    if (row.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new PackageDetails(row.get(), reverseDependencies(row.get()), installedFiles)
        .toJson(includeFiles));
  }

  /** Names of packages on disk that depend on this one directly or through one of its Provides. */
  List<String> reverseDependencies(PackageRow row) {
    if (row.dpkg().isEmpty()) {
      return List.of();
    }
    DpkgPackage dpkg = row.dpkg().get();
    TreeSet<String> names = new TreeSet<>(dependents.getOrDefault(dpkg.name(), Set.of()));
    for (Relation provided : dpkg.provides()) {
      names.addAll(dependents.getOrDefault(provided.name(), Set.of()));
    }
    names.remove(dpkg.name());
    return List.copyOf(names);
  }

  private Optional<PackageRow> row(String name) {
    int colon = name.indexOf(':');
    String bare = colon < 0 ? name : name.substring(0, colon);
    String architecture = colon < 0 ? null : name.substring(colon + 1);
    int first = firstDpkgRow(bare);
    if (first < 0) {
      // Only the lists know it (or nobody does): one row, for the newest version on any architecture.
      return lists.newest(bare).map(newest -> new PackageRow(null, newest))
          .filter(row -> architecture == null || row.architecture().equals(architecture));
    }
    int end = first;
    while (end < dpkgRows.length && dpkgRows[end].name().equals(bare)) {
      end++;
    }
    for (int i = first; i < end; i++) {
      if (architecture != null ? dpkgRows[i].architecture().equals(architecture) : dpkgRows[i].isPresent()) {
        return Optional.of(dpkgRows[i]);
      }
    }
    return architecture != null ? Optional.empty() : Optional.of(dpkgRows[first]);
  }

  /** The index of the first dpkg row named {@code name}, -1 when there is none. */
  private int firstDpkgRow(String name) {
    int low = 0;
    int high = dpkgRows.length - 1;
    int found = -1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      int order = dpkgRows[middle].name().compareTo(name);
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

  /** Whether dpkg or apt's lists know a package of exactly this name (or {@code name:arch}). */
  public boolean knows(String name) {
    return row(name).isPresent();
  }

  /** How many rows (dpkg stanzas plus packages only the lists know) the snapshot holds. */
  public int size() {
    return dpkgRows.length + listsOnly.length;
  }
}
