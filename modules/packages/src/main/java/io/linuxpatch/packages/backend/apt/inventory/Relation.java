package io.linuxpatch.packages.backend.apt.inventory;

/**
 * One package named in a relationship field (Depends, Provides, Conflicts…), e.g.
 * {@code libc6:any (>= 2.36)}.
 *
 * @param name         the package (or virtual package) name
 * @param architecture the architecture qualifier after a colon ({@code any}, {@code native}, {@code amd64}),
 *                     empty when absent
 * @param operator     one of {@code << <= = >= >>} (or the obsolete {@code <} / {@code >} as written),
 *                     empty when there is no version constraint
 * @param version      the version in the constraint, empty when there is none
 */
public record Relation(String name, String architecture, String operator, String version) {

  /** The constraint as shown to API clients, e.g. {@code >= 2.36}, or null when unconstrained. */
  public String constraint() {
    return operator.isEmpty() ? null : operator + " " + version;
  }

  @Override
  public String toString() {
    String qualified = architecture.isEmpty() ? name : name + ":" + architecture;
    return operator.isEmpty() ? qualified : qualified + " (" + operator + " " + version + ")";
  }
}
