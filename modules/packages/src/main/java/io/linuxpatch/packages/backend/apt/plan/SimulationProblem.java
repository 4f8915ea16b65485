package io.linuxpatch.packages.backend.apt.plan;

/**
 * A simulation line that looked like an operation but could not be read; kept with its line number and
 * text so that the plan is reported as incomplete instead of silently missing a change.
 */
public record SimulationProblem(int lineNumber, String line, String problem) {

  @Override
  public String toString() {
    return "line " + lineNumber + ": " + problem + ": " + line;
  }
}
