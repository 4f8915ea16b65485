package io.linuxpatch.contract.config;

/** One finding about a configuration: the dotted key it concerns and what is wrong with it. */
public record ConfigProblem(String key, String problem) {

  @Override
  public String toString() {
    return key + ": " + problem;
  }
}
