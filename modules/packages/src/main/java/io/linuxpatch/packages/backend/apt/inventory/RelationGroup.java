package io.linuxpatch.packages.backend.apt.inventory;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One comma-separated entry of a dependency field: a single relation, or alternatives written
 * {@code a | b} of which any one satisfies it.
 *
 * @param alternatives at least one relation, in the order written (apt prefers the first)
 */
public record RelationGroup(List<Relation> alternatives) {

  public RelationGroup {
    alternatives = List.copyOf(alternatives);
    if (alternatives.isEmpty()) {
      throw new IllegalArgumentException("a relation group needs at least one relation");
    }
  }

  /** The first (preferred) alternative. */
  public Relation first() {
    return alternatives.get(0);
  }

  @Override
  public String toString() {
    return alternatives.stream().map(Relation::toString).collect(Collectors.joining(" | "));
  }
}
