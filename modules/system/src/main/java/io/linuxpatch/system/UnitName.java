package io.linuxpatch.system;

import java.util.regex.Pattern;

/**
 * A service name from a request, checked before it goes anywhere near an argv: letters, digits and
 * {@code @ . _ : -}, at most 256 characters, never starting with {@code -} (so it cannot be read as an
 * option) and never holding {@code /} (so it cannot name a path).
 */
public record UnitName(String value) {

  private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9@._:\\-]{0,255}$");

  public UnitName {
    if (!isValid(value)) {
      throw new IllegalArgumentException("invalid service name");
    }
  }

  public static boolean isValid(String value) {
    return value != null && VALID.matcher(value).matches();
  }
}
