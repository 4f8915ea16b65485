package io.linuxpatch.packages.inventory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable snapshot of the host's packages (PKG-2): dpkg's status file joined with apt's lists,
 * indexed for listings, lookups and reverse dependencies. Every operation except
 * {@link #details details} with files is a memory operation, safe from any thread.
 */
public final class Inventory {

  private static final Comparator<PackageRow> BY_NAME =
      Comparator.comparing(PackageRow::name).thenComparing(PackageRow::architecture);
  private static final Comparator<PackageRow> BY_VERSION =
      Comparator.comparing(PackageRow::sortVersion, Comparator.nullsFirst(Comparator.naturalOrder()));
  private static final Comparator<PackageRow> BY_SIZE = Comparator.comparingLong(PackageRow::sizeBytes);

  private final InstalledFiles installedFiles;
  private final List<DpkgPackage> packages;
  private final List<PackageRow> rows;
  private final Map<String, List<PackageRow>> rowsByName;
  private final Map<String, Set<String>> dependents;
  private final List<ParseProblem> problems;

  private Inventory(InstalledFiles installedFiles, DpkgStatus status, AptLists lists) {
    this.installedFiles = installedFiles;
    this.packages = status.packages();
    List<PackageRow> all = new ArrayList<>(packages.size() + lists.byName().size());
    Set<String> dpkgNames = new HashSet<>(packages.size() * 2);
    for (DpkgPackage dpkg : packages) {
      dpkgNames.add(dpkg.name());
      all.add(new PackageRow(Optional.of(dpkg), lists.newest(dpkg.name(), dpkg.architecture())));
    }
    lists.byName().forEach((name, versions) -> {
      if (!dpkgNames.contains(name)) {
        all.add(new PackageRow(Optional.empty(), lists.newest(name)));
      }
    });
    // Name order is the default listing order; the other sorts are stable, so it also breaks their ties.
    all.sort(BY_NAME);
    this.rows = List.copyOf(all);
    Map<String, List<PackageRow>> byName = new HashMap<>(rows.size() * 2);
    for (PackageRow row : rows) {
      byName.computeIfAbsent(row.name(), n -> new ArrayList<>(1)).add(row);
    }
    this.rowsByName = byName;
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
  public static Inventory of(Path dpkgAdminDir, DpkgStatus status, AptLists lists) {
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
    return rows.stream()
        .flatMap(row -> row.dpkg().stream())
        .filter(dpkg -> dpkg.state().isHeld())
        .toList();
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
    List<PackageRow> matching = new ArrayList<>();
    for (PackageRow row : rows) {
      if (matches(query, row)) {
        matching.add(row);
      }
    }
    Comparator<PackageRow> comparator = switch (query.sort()) {
      case NAME -> null;
      case VERSION -> BY_VERSION;
      case SIZE -> BY_SIZE;
    };
    if (comparator != null) {
      matching.sort(comparator);
    }
    if (query.order() == PackageQuery.Order.DESC) {
      // Reversing the stable result keeps ties in reverse name order, the mirror image of ascending.
      Collections.reverse(matching);
    }
    JsonArray page = new JsonArray();
    int end = (int) Math.min(matching.size(), (long) query.offset() + query.limit());
    for (int i = query.offset(); i < end; i++) {
      page.add(matching.get(i).toJson());
    }
    return new JsonObject()
        .put("packages", page)
        .put("total", matching.size())
        .put("limit", query.limit())
        .put("offset", query.offset());
  }

  private static boolean matches(PackageQuery query, PackageRow row) {
    if (query.upgradableOnly() && !row.isUpgradable()) {
      return false;
    }
    boolean byStatus = switch (query.status()) {
      case INSTALLED -> row.isInstalled();
      case UPGRADABLE -> row.isUpgradable();
      case CONFIG_FILES -> row.isConfigFilesOnly();
      case AVAILABLE -> row.isAvailable();
      case ALL -> true;
    };
    return byStatus && (query.name().isEmpty() || query.name().get().matches(row.name()));
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
    List<PackageRow> candidates = rowsByName.get(bare);
    if (candidates == null) {
      return Optional.empty();
    }
    if (colon >= 0) {
      String architecture = name.substring(colon + 1);
      return candidates.stream().filter(row -> row.architecture().equals(architecture)).findFirst();
    }
    return candidates.stream()
        .filter(row -> row.dpkg().isPresent() && row.dpkg().get().state().isPresent())
        .findFirst()
        .or(() -> candidates.stream().findFirst());
  }

  /** How many rows (dpkg stanzas plus packages only the lists know) the snapshot holds. */
  public int size() {
    return rows.size();
  }
}
