package io.linuxpatch.packages.backend.pacman.inventory;

import java.util.AbstractList;
import java.util.List;
import java.util.Optional;

/**
 * The packages of one pacman database as read into memory: the local database ({@code local}) or one sync
 * repository, sorted by name, with what could not be read. Immutable; safe to share between threads.
 */
public final class PacmanDatabase {

  /** A broken database could otherwise fill memory with one problem per entry. */
  static final int MAX_PROBLEMS = 50;

  private final PackageColumns columns;
  private final List<DatabaseProblem> problems;

  PacmanDatabase(PackageColumns columns, List<DatabaseProblem> problems) {
    this.columns = columns;
    this.problems = List.copyOf(problems);
  }

  /** An empty database of that name (no sync file yet, no local directory yet). */
  static PacmanDatabase empty(String name, List<DatabaseProblem> problems) {
    return new PacmanDatabase(PackageColumns.empty(name), problems);
  }

  /** {@code local}, or the repository's name. */
  public String name() {
    return columns.database();
  }

  public int size() {
    return columns.size();
  }

  /** The package named exactly {@code name}. */
  public Optional<PacmanPackage> find(String name) {
    int row = columns.find(name);
    return row < 0 ? Optional.empty() : Optional.of(new PacmanPackage(columns, row));
  }

  /** Every package, sorted by name; views are made as the list is read. */
  public List<PacmanPackage> packages() {
    return new AbstractList<>() {
      @Override
      public PacmanPackage get(int index) {
        if (index < 0 || index >= columns.size()) {
          throw new IndexOutOfBoundsException(index);
        }
        return new PacmanPackage(columns, index);
      }

      @Override
      public int size() {
        return columns.size();
      }
    };
  }

  /** The entries that were left out and why (at most {@value #MAX_PROBLEMS}). */
  public List<DatabaseProblem> problems() {
    return problems;
  }

  /** What the columns cost in memory, in bytes (arrays only). */
  public long retainedBytes() {
    return columns.retainedBytes();
  }

  @Override
  public String toString() {
    return "PacmanDatabase[" + name() + ", " + size() + " packages]";
  }
}
