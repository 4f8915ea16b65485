package io.linuxpatch.packages.backend.dnf.inventory;

import io.linuxpatch.packages.backend.dnf.version.RpmVersion;
import io.linuxpatch.packages.listing.PackageListing;
import io.linuxpatch.packages.listing.PackageQuery;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An immutable snapshot of a dnf host's packages (PKG-2): the rpm database's packages from one {@code rpm -qa}
 * joined with the repositories' {@link AvailableCatalogue} from one cache-only {@code repoquery}. Listings, lookups
 * and name checks are memory operations, safe from any thread. rpm's pseudo-packages without an architecture
 * ({@code gpg-pubkey}) are left out, as dnf's own listings leave them out.
 */
public final class DnfInventory {

  private static final Comparator<InstalledRpm> BY_NAME = Comparator.comparing(InstalledRpm::name)
      .thenComparing(p -> p.nevra().arch()).thenComparing(InstalledRpm::evr);

  private final RpmRow[] installedRows;
  private final List<InstalledRpm> installed;
  private final AvailableCatalogue catalogue;
  /** Catalogue name indexes of the names nobody installed, in name order: rows made only while a listing walks. */
  private final int[] availableOnly;
  private final List<RecordProblem> problems;

  public DnfInventory(List<InstalledRpm> packages, AvailableCatalogue catalogue, List<RecordProblem> problems) {
    List<InstalledRpm> real = packages.stream().filter(p -> p.arch() != null).sorted(BY_NAME).toList();
    this.installed = real;
    this.catalogue = catalogue;
    this.installedRows = new RpmRow[real.size()];
    Set<String> names = new HashSet<>(real.size() * 2);
    for (int i = 0; i < real.size(); i++) {
      InstalledRpm p = real.get(i);
      names.add(p.name());
      installedRows[i] = new RpmRow(p, catalogue, catalogue.newest(p.name(), p.nevra().arch()));
    }
    int[] only = new int[catalogue.names()];
    int kept = 0;
    for (int i = 0; i < catalogue.names(); i++) {
      if (!names.contains(catalogue.name(catalogue.firstOfName(i)))) {
        only[kept++] = i;
      }
    }
    this.availableOnly = Arrays.copyOf(only, kept);
    this.problems = List.copyOf(problems);
  }

  /** The installed packages in name order (then architecture, then version). */
  public List<InstalledRpm> installed() {
    return installed;
  }

  /** What the repositories offer. */
  public AvailableCatalogue catalogue() {
    return catalogue;
  }

  /** Records of rpm's and dnf's output that could not be read (left out). */
  public List<RecordProblem> problems() {
    return problems;
  }

  /** Whether the rpm database or a repository knows a package of exactly this name. */
  public boolean knows(String name) {
    return isInstalled(name) || catalogue.knows(name);
  }

  /** Whether a package of exactly this name is installed. */
  public boolean isInstalled(String name) {
    return firstInstalled(name) >= 0;
  }

  /** Every installed instance of {@code name} (several architectures, or install-only versions such as kernels). */
  public List<InstalledRpm> installed(String name) {
    List<InstalledRpm> found = new ArrayList<>();
    int first = firstInstalled(name);
    for (int i = first; first >= 0 && i < installed.size() && installed.get(i).name().equals(name); i++) {
      found.add(installed.get(i));
    }
    return found;
  }

  /** The installed EVR (dnf's form) of {@code name.arch}, the newest if several; null when it is not installed. */
  public String installedVersion(String name, String arch) {
    String version = null;
    RpmVersion newest = null;
    for (InstalledRpm p : installed(name)) {
      if (arch == null || p.nevra().arch().equals(arch) || "noarch".equals(arch) || "noarch".equals(p.nevra().arch())) {
        if (newest == null || p.evr().isNewerThan(newest)) {
          newest = p.evr();
          version = p.evr().dnfForm();
        }
      }
    }
    return version;
  }

  /** The listing row of {@code name}: its first installed instance, else its newest offered version. */
  public Optional<RpmRow> row(String name) {
    int first = firstInstalled(name);
    if (first >= 0) {
      return Optional.of(installedRows[first]);
    }
    int newest = catalogue.newest(name, null);
    return newest < 0 ? Optional.empty() : Optional.of(new RpmRow(null, catalogue, newest));
  }

  /** Endpoint 2: {@code {packages, total, limit, offset}}. */
  public JsonObject list(PackageQuery query) {
    return PackageListing.list(query, Arrays.asList(installedRows), this::forEachRow, RpmRow::sortVersion);
  }

  /** Every row in name order: installed rows merged with the names only the repositories offer. */
  private void forEachRow(Consumer<RpmRow> action) {
    int i = 0;
    int a = 0;
    while (i < installedRows.length || a < availableOnly.length) {
      String availableName = a < availableOnly.length ? catalogue.name(catalogue.firstOfName(availableOnly[a])) : null;
      if (availableName == null || i < installedRows.length && installedRows[i].name().compareTo(availableName) < 0) {
        action.accept(installedRows[i++]);
      } else {
        action.accept(new RpmRow(null, catalogue, catalogue.newest(availableName, null)));
        a++;
      }
    }
  }

  /** How many rows a listing of everything walks. */
  public int size() {
    return installedRows.length + availableOnly.length;
  }

  private int firstInstalled(String name) {
    int low = 0;
    int high = installed.size() - 1;
    int found = -1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      int order = installed.get(middle).name().compareTo(name);
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
