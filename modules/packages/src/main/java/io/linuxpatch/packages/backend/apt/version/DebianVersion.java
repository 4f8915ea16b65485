package io.linuxpatch.packages.backend.apt.version;

import java.util.Optional;

/**
 * A Debian package version {@code [epoch:]upstream_version[-debian_revision]} as described in
 * deb-version(7), ordered exactly like {@code dpkg --compare-versions}.
 *
 * <p>Ordering is not consistent with {@link #equals}: {@code 1.0} and {@code 1.0-0}, or {@code 01} and
 * {@code 1}, compare as equal (dpkg treats them so) but are different texts. Use {@link #compareTo} for
 * "same version" questions and the record's equality for "same text".
 *
 * @param epoch    the number before the first colon, 0 when absent
 * @param upstream the part between the epoch and the last hyphen
 * @param revision the part after the last hyphen, empty when absent
 */
public record DebianVersion(long epoch, String upstream, String revision) implements Comparable<DebianVersion> {

  /** dpkg rejects epochs beyond a C int. */
  private static final long MAX_EPOCH = Integer.MAX_VALUE;

  public DebianVersion {
    if (epoch < 0 || epoch > MAX_EPOCH) {
      throw new IllegalArgumentException("epoch out of range: " + epoch);
    }
    if (upstream == null || upstream.isEmpty()) {
      throw new IllegalArgumentException("version number is empty");
    }
    revision = revision == null ? "" : revision;
  }

  /**
   * Parses a version the way dpkg's parseversion does: surrounding blanks are ignored, the epoch is the
   * digits before the first colon, the revision follows the last hyphen. What dpkg only warns about (an
   * upstream part not starting with a digit, unusual characters) is accepted, so that anything dpkg has
   * installed can be compared.
   *
   * @throws IllegalArgumentException with dpkg's reason when dpkg itself would refuse the string
   */
  public static DebianVersion parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("version string is empty");
    }
    String version = text.strip();
    if (version.isEmpty()) {
      throw new IllegalArgumentException("version string is empty");
    }
    for (int i = 0; i < version.length(); i++) {
      if (Character.isWhitespace(version.charAt(i))) {
        throw new IllegalArgumentException("version string has embedded spaces: '" + version + "'");
      }
    }
    long epoch = 0;
    int colon = version.indexOf(':');
    if (colon >= 0) {
      if (colon == 0) {
        throw new IllegalArgumentException("epoch in version is empty: '" + version + "'");
      }
      epoch = parseEpoch(version, colon);
      if (colon == version.length() - 1) {
        throw new IllegalArgumentException("nothing after colon in version number: '" + version + "'");
      }
    }
    String rest = version.substring(colon + 1);
    int hyphen = rest.lastIndexOf('-');
    String upstream = hyphen >= 0 ? rest.substring(0, hyphen) : rest;
    String revision = hyphen >= 0 ? rest.substring(hyphen + 1) : "";
    if (upstream.isEmpty()) {
      throw new IllegalArgumentException("version number is empty: '" + version + "'");
    }
    if (hyphen >= 0 && revision.isEmpty()) {
      throw new IllegalArgumentException("revision number is empty: '" + version + "'");
    }
    return new DebianVersion(epoch, upstream, revision);
  }

  /** {@link #parse} for callers that report rather than throw. */
  public static Optional<DebianVersion> tryParse(String text) {
    try {
      return Optional.of(parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static long parseEpoch(String version, int colon) {
    long epoch = 0;
    for (int i = 0; i < colon; i++) {
      char c = version.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("epoch in version is not number: '" + version + "'");
      }
      epoch = epoch * 10 + (c - '0');
      if (epoch > MAX_EPOCH) {
        throw new IllegalArgumentException("epoch in version is too big: '" + version + "'");
      }
    }
    return epoch;
  }

  @Override
  public int compareTo(DebianVersion other) {
    if (epoch != other.epoch) {
      return epoch < other.epoch ? -1 : 1;
    }
    int byUpstream = compareParts(upstream, other.upstream);
    return byUpstream != 0 ? byUpstream : compareParts(revision, other.revision);
  }

  /** True when this version sorts after {@code other}. */
  public boolean isNewerThan(DebianVersion other) {
    return compareTo(other) > 0;
  }

  /**
   * dpkg's verrevcmp: alternating non-digit and digit runs; non-digits compare by {@link #order}, digit
   * runs numerically (leading zeros ignored, so arbitrarily long numbers never overflow).
   */
  static int compareParts(String a, String b) {
    int i = 0;
    int j = 0;
    int aLength = a.length();
    int bLength = b.length();
    while (i < aLength || j < bLength) {
      while ((i < aLength && !isDigit(a.charAt(i))) || (j < bLength && !isDigit(b.charAt(j)))) {
        int ac = order(i < aLength ? a.charAt(i) : 0);
        int bc = order(j < bLength ? b.charAt(j) : 0);
        if (ac != bc) {
          return Integer.signum(ac - bc);
        }
        i++;
        j++;
      }
      while (i < aLength && a.charAt(i) == '0') {
        i++;
      }
      while (j < bLength && b.charAt(j) == '0') {
        j++;
      }
      int firstDifference = 0;
      while (i < aLength && j < bLength && isDigit(a.charAt(i)) && isDigit(b.charAt(j))) {
        if (firstDifference == 0) {
          firstDifference = a.charAt(i) - b.charAt(j);
        }
        i++;
        j++;
      }
      // The longer digit run (after leading zeros) is the bigger number, whatever its first digit.
      if (i < aLength && isDigit(a.charAt(i))) {
        return 1;
      }
      if (j < bLength && isDigit(b.charAt(j))) {
        return -1;
      }
      if (firstDifference != 0) {
        return Integer.signum(firstDifference);
      }
    }
    return 0;
  }

  /**
   * The weight of one character in a non-digit run: {@code ~} before the end of the string, the end
   * before letters, letters before every other character. ASCII only, like dpkg's c_isalpha.
   */
  private static int order(int c) {
    if (isDigit(c) || c == 0) {
      return 0;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      return c;
    }
    if (c == '~') {
      return -1;
    }
    return c + 256;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /**
   * The version as dpkg prints it: the epoch only when non-zero or needed to read a colon in the upstream
   * part back correctly, the revision only when present.
   */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(upstream.length() + revision.length() + 8);
    if (epoch != 0 || upstream.indexOf(':') >= 0) {
      text.append(epoch).append(':');
    }
    text.append(upstream);
    if (!revision.isEmpty()) {
      text.append('-').append(revision);
    }
    return text.toString();
  }
}
