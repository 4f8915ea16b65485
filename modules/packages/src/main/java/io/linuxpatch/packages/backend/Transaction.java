package io.linuxpatch.packages.backend;

import java.util.List;

/**
 * What a change is for the package manager: the arguments of each step (apt: one; a dnf rollback: a removal,
 * then a reinstall), before the options that make it a simulation or a real, non-interactive run. Names in it
 * are validated and follow {@code --}.
 *
 * @param steps the arguments of each step, in order; empty when there is nothing to do
 */
public record Transaction(List<List<String>> steps) {

  /** Nothing to do (e.g. a patch run with nothing selected). */
  public static final Transaction NONE = new Transaction(List.of());

  public Transaction {
    steps = steps.stream().map(List::copyOf).toList();
  }

  /** One step. */
  public static Transaction of(List<String> args) {
    return new Transaction(List.of(args));
  }

  public boolean isEmpty() {
    return steps.isEmpty();
  }

  /** A key for caching simulations: equal for equal arguments. */
  public String key() {
    StringBuilder key = new StringBuilder();
    for (List<String> step : steps) {
      key.append(String.join("\u0000", step)).append('\u0001');
    }
    return key.toString();
  }
}
