package io.linuxpatch.contract.packages;

import java.util.regex.Pattern;

/**
 * SEC-9 for package versions: a version travels as its own JSON field and is joined as {@code name=version}
 * by the backend, so it must not be able to smuggle an option, an operator or a second argument.
 */
public final class PackageVersion {

  /** Longest version accepted. */
  public static final int MAX_LENGTH = 256;

  static final Pattern FORM = Pattern.compile("^[A-Za-z0-9.+~:_-]{1,256}$");

  private static final String FIELD = "version";

  private PackageVersion() {
  }

  /** Checks one version from a request; {@code null} and empty are invalid. */
  public static Validation validate(String version) {
    if (version == null || version.isEmpty()) {
      return invalid("required", "a version is required when the field is present");
    }
    DisplayedValue shown = DisplayedValue.of(version);
    if (version.length() > MAX_LENGTH) {
      return invalid("too-long", "version " + shown + " is longer than " + MAX_LENGTH + " characters");
    }
    char first = version.charAt(0);
    boolean asciiAlnum = (first >= '0' && first <= '9') || (first >= 'a' && first <= 'z')
        || (first >= 'A' && first <= 'Z');
    if (!asciiAlnum) {
      return invalid("leading-character", "version " + shown + " must start with a digit or a letter");
    }
    char last = version.charAt(version.length() - 1);
    if (last == '-' || last == '+') {
      // apt reads a trailing '-' or '+' of name=version as remove/install, even after "--".
      return invalid("trailing-operator", "version " + shown + " must not end with '-' or '+': apt would read it"
          + " as a remove or install operator");
    }
    if (!FORM.matcher(version).matches()) {
      return invalid("pattern", "version " + shown + " may only contain letters, digits and . + ~ : _ -"
          + " (form " + FORM.pattern() + ")");
    }
    return new Validation.Valid(version);
  }

  private static Validation invalid(String rule, String message) {
    return new Validation.Invalid(FIELD, rule, message);
  }
}
