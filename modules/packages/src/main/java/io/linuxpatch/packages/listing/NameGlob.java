package io.linuxpatch.packages.listing;

/**
 * The {@code name} filter of a package listing: {@code *} matches any run of characters, every other
 * character only itself (package names contain {@code + - .}, which must not turn into regex syntax).
 *
 * @param pattern the glob as the client sent it
 */
public record NameGlob(String pattern) {

  public NameGlob {
    if (pattern == null || pattern.isEmpty()) {
      throw new IllegalArgumentException("empty name pattern");
    }
  }

  /** Whether {@code name} matches; linear in practice (one backtrack point, the last star). */
  public boolean matches(String name) {
    int p = 0;
    int n = 0;
    int star = -1;
    int starMatch = 0;
    while (n < name.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        starMatch = n;
      } else if (p < pattern.length() && pattern.charAt(p) == name.charAt(n)) {
        p++;
        n++;
      } else if (star >= 0) {
        p = star + 1;
        n = ++starMatch;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
