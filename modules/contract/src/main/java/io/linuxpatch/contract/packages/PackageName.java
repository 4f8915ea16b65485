package io.linuxpatch.contract.packages;

import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * SEC-9 for package names: the only gate between a request and a package manager's argument list.
 *
 * <p>apt reads a name's last character as an operator ({@code coreutils-} means "remove coreutils",
 * {@code foo+} means "install foo", even after {@code --}) and accepts {@code =version}, {@code /release},
 * {@code :arch}, globs and {@code ?patterns}; a leading {@code -} is an option (root code execution via
 * {@code -oAPT::Update::Pre-Invoke::=…}). So a name is checked against the backend's grammar and every
 * operator is refused by name, with a message that says which rule it broke. The checks run from the most
 * dangerous to the most general so that the reported rule is the one that matters.
 */
public final class PackageName {

  /** Longest name accepted by every backend's grammar. */
  public static final int MAX_LENGTH = 128;

  /** Debian policy form, used for apt. */
  static final Pattern APT = Pattern.compile("^[a-z0-9][a-z0-9+.-]{1,127}$");

  /** rpm, pacman and apk names (upper case and {@code _} allowed). */
  static final Pattern OTHERS = Pattern.compile("^[A-Za-z0-9_+][A-Za-z0-9_+.-]{0,127}$");

  private static final String FIELD = "name";

  private PackageName() {
  }

  /**
   * Checks one package name from a request.
   *
   * @param name         the name exactly as the client sent it; {@code null} is invalid
   * @param backend      whose grammar applies
   * @param knownExactly whether a package of exactly this name is installed or in the package lists; asked
   *                     only for a name ending in {@code +} (like {@code g++}), may be {@code null} for
   *                     "nothing is known"
   */
  public static Validation validate(String name, Backend backend, Predicate<String> knownExactly) {
    Objects.requireNonNull(backend, "backend");
    if (name == null || name.isEmpty()) {
      return invalid("required", "a package name is required");
    }
    DisplayedValue shown = DisplayedValue.of(name);
    if (name.length() > MAX_LENGTH) {
      return invalid("too-long", "package name " + shown + " is longer than " + MAX_LENGTH + " characters");
    }
    if (name.charAt(0) == '-') {
      return invalid("leading-dash",
          "package name " + shown + " starts with '-': the package manager would read it as an option");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isISOControl(c)) {
        return invalid("control-character",
            "package name " + shown + " contains a control character (NUL included) at position " + i);
      }
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        return invalid("whitespace", "package name " + shown + " contains whitespace at position " + i);
      }
      String operator = operatorMeaning(c);
      if (operator != null) {
        return invalid("forbidden-character",
            "package name " + shown + " contains '" + c + "', which " + operator);
      }
    }
    char last = name.charAt(name.length() - 1);
    if (last == '-') {
      return invalid("trailing-dash",
          "package name " + shown + " ends with '-': apt would read it as \"remove this package\"");
    }
    if (last == '+' && (knownExactly == null || !knownExactly.test(name))) {
      return invalid("trailing-plus", "package name " + shown
          + " ends with '+' and no package of exactly that name is known: apt would read it as \"install\"");
    }
    Pattern grammar = backend == Backend.APT ? APT : OTHERS;
    if (!grammar.matcher(name).matches()) {
      return invalid("pattern", "package name " + shown + " does not match the " + backend.configName()
          + " name form " + grammar.pattern());
    }
    return new Validation.Valid(name);
  }

  /** Why a character that apt or the shell treats as an operator may not appear in a name. */
  private static String operatorMeaning(char c) {
    return switch (c) {
      case '=' -> "selects a version (send the version in its own field)";
      case '/' -> "selects a release";
      case ':' -> "selects an architecture";
      case '*', '?' -> "is a glob or search pattern";
      default -> null;
    };
  }

  private static Validation invalid(String rule, String message) {
    return new Validation.Invalid(FIELD, rule, message);
  }
}
