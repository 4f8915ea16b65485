package io.linuxpatch.packages.listing;

import io.linuxpatch.contract.ListPage;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Endpoint 2's filters, sorts and paging (API-6), the same for every backend: a backend walks its rows in name
 * order and hands the matching ones here.
 */
public final class PackageListing {

  private static final Comparator<ListedPackage> BY_SIZE = Comparator.comparingLong(ListedPackage::sizeBytes);

  private PackageListing() {}

  /** The query of a {@code lpa.packages.list} request (already validated by the API's schema). */
  public static PackageQuery query(JsonObject q) {
    PackageQuery query = PackageQuery.defaults();
    if (q.getString("name") != null) {
      query = query.withName(q.getString("name"));
    }
    if (q.getString("status") != null) {
      query = query.withStatus(PackageQuery.Status.fromWire(q.getString("status")).orElseThrow());
    }
    if (Boolean.TRUE.equals(q.getBoolean("upgradable"))) {
      query = query.withUpgradableOnly(true);
    }
    query = query.withSort(PackageQuery.Sort.fromWire(q.getString("sort", "name")).orElseThrow(),
        PackageQuery.Order.fromWire(q.getString("order", "asc")).orElseThrow());
    return query.withPage(q.getInteger("limit", PackageQuery.DEFAULT_LIMIT), q.getInteger("offset", 0));
  }

  /** Whether only installed packages (or their leftovers) can match: the available-only rows need not be walked. */
  public static boolean onlyInstalledRowsMatch(PackageQuery query) {
    return query.upgradableOnly() || switch (query.status()) {
      case INSTALLED, CONFIG_FILES, UPGRADABLE -> true;
      case AVAILABLE, ALL -> false;
    };
  }

  /** Whether {@code row} passes the query's filters. */
  public static boolean matches(PackageQuery query, ListedPackage row) {
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
   * Endpoint 2 over one backend's rows: only {@code installedRows} when nothing else can match
   * ({@link #onlyInstalledRowsMatch}), otherwise every row in name order as {@code allRows} walks them; the rows
   * that {@link #matches}, then {@link #page}d.
   */
  public static <R extends ListedPackage, V extends Comparable<V>> JsonObject list(PackageQuery query,
      Iterable<R> installedRows, Consumer<Consumer<R>> allRows, Function<R, V> versionKey) {
    List<R> matching = new ArrayList<>();
    Consumer<R> keep = row -> {
      if (matches(query, row)) {
        matching.add(row);
      }
    };
    if (onlyInstalledRowsMatch(query)) {
      installedRows.forEach(keep);
    } else {
      allRows.accept(keep);
    }
    return page(matching, query, versionKey);
  }

  /**
   * The page of endpoint 2 from the matching rows in name order: {@code {packages, total, limit, offset}}, total
   * counted before paging. A version sort parses each row's version once ({@code versionKey}, nulls first), not
   * once per comparison.
   */
  public static <R extends ListedPackage, V extends Comparable<V>> JsonObject page(List<R> matching,
      PackageQuery query, Function<R, V> versionKey) {
    List<R> rows = new ArrayList<>(matching);
    switch (query.sort()) {
      case NAME -> { }
      case VERSION -> sortByVersion(rows, versionKey);
      case SIZE -> rows.sort(BY_SIZE);
    }
    if (query.order() == PackageQuery.Order.DESC) {
      // Reversing the stable result keeps ties in reverse name order, the mirror image of ascending.
      Collections.reverse(rows);
    }
    return ListPage.of("packages", rows, query.limit(), query.offset(), ListedPackage::toJson);
  }

  private static <R, V extends Comparable<V>> void sortByVersion(List<R> rows, Function<R, V> versionKey) {
    record Keyed<R, V>(R row, V version) {
    }
    List<Keyed<R, V>> keyed = new ArrayList<>(rows.size());
    for (R row : rows) {
      keyed.add(new Keyed<>(row, versionKey.apply(row)));
    }
    keyed.sort(Comparator.comparing(Keyed::version, Comparator.nullsFirst(Comparator.naturalOrder())));
    for (int i = 0; i < keyed.size(); i++) {
      rows.set(i, keyed.get(i).row());
    }
  }
}
