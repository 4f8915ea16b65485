package io.linuxpatch.packages.listing;

import io.linuxpatch.contract.ListPage;
import java.util.Locale;
import java.util.Optional;

/**
 * The parameters of a package listing (SPEC endpoint 2 and API-6), already validated: the HTTP layer
 * maps query strings onto this, the inventory answers it from memory.
 *
 * @param name           the name glob, empty for every name
 * @param status         which packages to list
 * @param upgradableOnly {@code upgradable=true}: only those with a newer version available
 * @param sort           the sort key
 * @param order          ascending or descending
 * @param limit          page size, 1 to {@value #MAX_LIMIT}
 * @param offset         rows to skip, at least 0
 */
public record PackageQuery(
    Optional<NameGlob> name, Status status, boolean upgradableOnly, Sort sort, Order order, int limit, int offset) {

  public static final int DEFAULT_LIMIT = ListPage.DEFAULT_LIMIT;
  public static final int MAX_LIMIT = 1000;

  /** The {@code status} filter values. */
  public enum Status {
    /** dpkg {@code ii} / {@code hi}. */
    INSTALLED("installed"),
    /** installed with a newer version in the lists. */
    UPGRADABLE("upgradable"),
    /** dpkg {@code rc}: removed, configuration left. */
    CONFIG_FILES("config-files"),
    /** not on disk, but installable from the lists. */
    AVAILABLE("available"),
    /** everything dpkg knows and everything the lists offer. */
    ALL("all");

    private final String wire;

    Status(String wire) {
      this.wire = wire;
    }

    /** The value as written in the query string. */
    public String wire() {
      return wire;
    }

    /** The filter for a query-string value, empty when it names none. */
    public static Optional<Status> fromWire(String value) {
      for (Status status : values()) {
        if (status.wire.equals(value)) {
          return Optional.of(status);
        }
      }
      return Optional.empty();
    }
  }

  /** The {@code sort} values. */
  public enum Sort {
    NAME, VERSION, SIZE;

    /** The sort key for a query-string value ({@code name}, {@code version}, {@code size}). */
    public static Optional<Sort> fromWire(String value) {
      for (Sort sort : values()) {
        if (sort.name().toLowerCase(Locale.ROOT).equals(value)) {
          return Optional.of(sort);
        }
      }
      return Optional.empty();
    }
  }

  /** The {@code order} values. */
  public enum Order {
    ASC, DESC;

    /** The order for a query-string value ({@code asc}, {@code desc}). */
    public static Optional<Order> fromWire(String value) {
      return "asc".equals(value) ? Optional.of(ASC) : "desc".equals(value) ? Optional.of(DESC) : Optional.empty();
    }
  }

  public PackageQuery {
    name = name == null ? Optional.empty() : name;
    status = status == null ? Status.INSTALLED : status;
    sort = sort == null ? Sort.NAME : sort;
    order = order == null ? Order.ASC : order;
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, was " + offset);
    }
  }

  /** Installed packages by name, first page: what {@code GET /api/v1/packages} without parameters means. */
  public static PackageQuery defaults() {
    return new PackageQuery(Optional.empty(), Status.INSTALLED, false, Sort.NAME, Order.ASC, DEFAULT_LIMIT, 0);
  }

  /** This query with a name glob. */
  public PackageQuery withName(String glob) {
    return new PackageQuery(Optional.of(new NameGlob(glob)), status, upgradableOnly, sort, order, limit, offset);
  }

  /** This query with another status filter. */
  public PackageQuery withStatus(Status newStatus) {
    return new PackageQuery(name, newStatus, upgradableOnly, sort, order, limit, offset);
  }

  /** This query restricted (or not) to upgradable packages. */
  public PackageQuery withUpgradableOnly(boolean only) {
    return new PackageQuery(name, status, only, sort, order, limit, offset);
  }

  /** This query sorted differently. */
  public PackageQuery withSort(Sort newSort, Order newOrder) {
    return new PackageQuery(name, status, upgradableOnly, newSort, newOrder, limit, offset);
  }

  /** This query with another page. */
  public PackageQuery withPage(int newLimit, int newOffset) {
    return new PackageQuery(name, status, upgradableOnly, sort, order, newLimit, newOffset);
  }
}
