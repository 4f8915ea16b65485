package io.linuxpatch.packages.backend.pacman.plan;

import io.linuxpatch.packages.backend.pacman.version.PacmanVersion;
import java.util.List;

/**
 * One of pacman's relation strings ({@code depend}, {@code conflict}, {@code provides}, {@code replaces}):
 * {@code name}, or {@code name} with {@code <}, {@code <=}, {@code =}, {@code >=} or {@code >} and a version,
 * optionally followed by {@code : description} (optional dependencies). Satisfaction follows libalpm's
 * {@code _alpm_depcmp}: the package's own name and version, or one of its provisions — an unversioned provision
 * satisfies only an unversioned relation, a provision {@code name=version} is compared like a version.
 *
 * @param name     the package or provision name
 * @param operator {@code null} for "any version", else one of the five comparison operators
 * @param version  {@code null} with no operator
 */
public record Dependency(String name, String operator, String version) {

  /** Parses a relation string as libalpm's {@code alpm_dep_from_string} does. */
  public static Dependency parse(String text) {
    String relation = text;
    int description = relation.indexOf(": ");
    if (description >= 0) {
      relation = relation.substring(0, description);
    }
    int op = -1;
    for (int i = 0; i < relation.length(); i++) {
      char c = relation.charAt(i);
      if (c == '<' || c == '>' || c == '=') {
        op = i;
        break;
      }
    }
    if (op < 0) {
      return new Dependency(relation, null, null);
    }
    int end = op + 1 < relation.length() && relation.charAt(op + 1) == '=' ? op + 2 : op + 1;
    return new Dependency(relation.substring(0, op), relation.substring(op, end), relation.substring(end));
  }

  /** Whether a package with this name, version and provisions satisfies the relation. */
  public boolean satisfiedBy(String packageName, String packageVersion, List<String> provides) {
    if (name.equals(packageName) && versionMatches(packageVersion)) {
      return true;
    }
    for (String provision : provides) {
      Dependency provided = parse(provision);
      if (!provided.name.equals(name)) {
        continue;
      }
      if (operator == null) {
        return true;
      }
      if ("=".equals(provided.operator) && versionMatches(provided.version)) {
        return true;
      }
    }
    return false;
  }

  private boolean versionMatches(String candidate) {
    if (operator == null) {
      return true;
    }
    int order = PacmanVersion.compare(candidate, version);
    return switch (operator) {
      case "<" -> order < 0;
      case "<=" -> order <= 0;
      case "=" -> order == 0;
      case ">=" -> order >= 0;
      case ">" -> order > 0;
      default -> false;
    };
  }

  @Override
  public String toString() {
    return operator == null ? name : name + operator + version;
  }
}
