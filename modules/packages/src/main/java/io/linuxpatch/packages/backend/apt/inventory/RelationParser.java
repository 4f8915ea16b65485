package io.linuxpatch.packages.backend.apt.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Parses the value of a relationship field (deb-control(5): {@code a (>= 1), b | c:any, d [amd64]}) into
 * relation groups, character by character.
 *
 * <p>Architecture lists ({@code [amd64]}) and build profiles ({@code <!nocheck>}) are accepted and dropped:
 * they only matter in source packages. An entry that cannot be read is reported and left out; the others
 * are kept, so one odd entry never hides a package's remaining dependencies.
 */
public final class RelationParser {

  private RelationParser() {}

  /**
   * Parses {@code value}; each unreadable entry is described to {@code problems}.
   *
   * @param value the field value, possibly spanning continuation lines
   */
  public static List<RelationGroup> parse(String value, Consumer<String> problems) {
    List<RelationGroup> groups = new ArrayList<>();
    if (value == null) {
      return groups;
    }
    int length = value.length();
    int groupStart = 0;
    while (true) {
      int comma = value.indexOf(',', groupStart);
      int groupEnd = comma < 0 ? length : comma;
      if (isBlank(value, groupStart, groupEnd)) {
        // A trailing comma (or an empty field) is harmless; an empty entry between two others is a typo.
        if (comma >= 0) {
          problems.accept("empty entry in '" + value.strip() + "'");
        }
      } else {
        RelationGroup group = group(value, groupStart, groupEnd, problems);
        if (group != null) {
          groups.add(group);
        }
      }
      if (comma < 0) {
        return groups;
      }
      groupStart = comma + 1;
    }
  }

  /** Parses {@code a | b} in {@code value[from, to)}, or reports and returns null. */
  private static RelationGroup group(String value, int from, int to, Consumer<String> problems) {
    List<Relation> alternatives = new ArrayList<>(1);
    int alternativeStart = from;
    while (true) {
      int bar = value.indexOf('|', alternativeStart);
      int alternativeEnd = bar < 0 || bar > to ? to : bar;
      if (isBlank(value, alternativeStart, alternativeEnd)) {
        problems.accept("empty alternative in '" + value.substring(from, to).strip() + "'");
        return null;
      }
      Relation relation = relation(value, alternativeStart, alternativeEnd, problems);
      if (relation == null) {
        return null;
      }
      alternatives.add(relation);
      if (alternativeEnd == to) {
        return new RelationGroup(alternatives);
      }
      alternativeStart = alternativeEnd + 1;
    }
  }

  /** Parses one alternative in {@code value[from, to)}, or reports and returns null. */
  private static Relation relation(String value, int from, int to, Consumer<String> problems) {
    int i = skipBlanks(value, from, to);
    int nameStart = i;
    while (i < to && !isBlank(value.charAt(i)) && "([<".indexOf(value.charAt(i)) < 0) {
      i++;
    }
    if (i == nameStart) {
      problems.accept("missing package name in '" + value.substring(from, to).strip() + "'");
      return null;
    }
    String qualified = value.substring(nameStart, i);
    int colon = qualified.indexOf(':');
    String name = colon < 0 ? qualified : qualified.substring(0, colon);
    String architecture = colon < 0 ? "" : qualified.substring(colon + 1);
    if (!isPackageName(name)) {
      problems.accept("invalid package name '" + qualified + "'");
      return null;
    }
    String operator = "";
    String version = "";
    i = skipBlanks(value, i, to);
    if (i < to && value.charAt(i) == '(') {
      int close = value.indexOf(')', i);
      if (close < 0 || close > to) {
        problems.accept("unclosed version constraint in '" + value.substring(from, to).strip() + "'");
        return null;
      }
      int o = skipBlanks(value, i + 1, close);
      int operatorStart = o;
      while (o < close && "<>=".indexOf(value.charAt(o)) >= 0) {
        o++;
      }
      operator = value.substring(operatorStart, o);
      version = value.substring(skipBlanks(value, o, close), close).strip();
      if (!isOperator(operator) || version.isEmpty()) {
        problems.accept("invalid version constraint '" + value.substring(i, close + 1) + "' for " + name);
        return null;
      }
      i = skipBlanks(value, close + 1, to);
    }
    // Architecture restrictions and build profiles only select source-package build dependencies.
    while (i < to && (value.charAt(i) == '[' || value.charAt(i) == '<')) {
      char closing = value.charAt(i) == '[' ? ']' : '>';
      int close = value.indexOf(closing, i);
      if (close < 0 || close > to) {
        problems.accept("unclosed '" + value.charAt(i) + "' after " + name);
        return null;
      }
      i = skipBlanks(value, close + 1, to);
    }
    if (i < to) {
      problems.accept("unexpected text '" + value.substring(i, to).strip() + "' after " + name);
      return null;
    }
    return new Relation(name, architecture, operator, version);
  }

  /** dpkg's rule: lowercase letters, digits, {@code + - .}, starting with a letter or digit. */
  private static boolean isPackageName(String name) {
    if (name.isEmpty() || !Character.isLetterOrDigit(name.charAt(0))) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'
          // Upper case is not allowed by policy but exists in old third-party packages; dpkg accepts it.
          || (c >= 'A' && c <= 'Z');
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  private static boolean isOperator(String operator) {
    switch (operator) {
      case "<<", "<=", "=", ">=", ">>", "<", ">":
        return true;
      default:
        return false;
    }
  }

  private static int skipBlanks(String value, int from, int to) {
    int i = from;
    while (i < to && isBlank(value.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static boolean isBlank(String value, int from, int to) {
    return skipBlanks(value, from, to) == to;
  }
}
