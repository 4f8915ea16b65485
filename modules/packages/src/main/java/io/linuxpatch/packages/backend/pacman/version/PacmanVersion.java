package io.linuxpatch.packages.backend.pacman.version;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * A pacman package version ({@code [epoch:]pkgver[-pkgrel]}) ordered exactly as pacman's {@code vercmp} and
 * libalpm's {@code alpm_pkg_vercmp} order them (pacman 6.0, {@code lib/libalpm/version.c}), so that "is there an
 * update", "is this a downgrade" and advisory ranges agree with what pacman itself decides.
 *
 * <p>The rules, all reproduced here: the epoch (digits before a {@code :}, {@code 0} when absent) is compared
 * first, then pkgver, then pkgrel only when <em>both</em> versions have one ({@code 1.0} equals {@code 1.0-5}).
 * Each part is compared rpm-style segment by segment: runs of ASCII digits compare numerically (leading zeros
 * dropped, more digits wins), runs of ASCII letters compare as bytes, a numeric segment is newer than an alpha
 * one, any other byte is a separator whose run <em>length</em> matters ({@code 1.0} is older than {@code 1..0}),
 * and a trailing alpha segment is older than nothing ({@code 1.0a} is older than {@code 1.0}) while a trailing
 * numeric one is newer. Bytes outside ASCII are separators, as in the C locale pacman runs in.
 */
public final class PacmanVersion implements Comparable<PacmanVersion> {

  /** Version strings in pacman's order. */
  public static final Comparator<String> ORDER = PacmanVersion::compare;

  private final String text;
  private final String epoch;
  private final String version;
  private final String release;

  private PacmanVersion(String text, String epoch, String version, String release) {
    this.text = text;
    this.epoch = epoch;
    this.version = version;
    this.release = release;
  }

  /** Splits a version as libalpm's {@code parseEVR} does; never fails (pacman accepts any string here). */
  public static PacmanVersion parse(String text) {
    Objects.requireNonNull(text, "text");
    int s = 0;
    while (s < text.length() && isDigit(text.charAt(s))) {
      s++;
    }
    // the release separator is the last '-' after the epoch's digits, wherever the epoch ends
    int se = text.lastIndexOf('-');
    if (se < s) {
      se = -1;
    }
    String epoch;
    int versionStart;
    if (s < text.length() && text.charAt(s) == ':') {
      epoch = s == 0 ? "0" : text.substring(0, s);
      versionStart = s + 1;
    } else {
      epoch = "0";
      versionStart = 0;
    }
    String version = se >= 0 ? text.substring(versionStart, se) : text.substring(versionStart);
    String release = se >= 0 ? text.substring(se + 1) : null;
    return new PacmanVersion(text, epoch, version, release);
  }

  /** {@code alpm_pkg_vercmp(a, b)}: negative when {@code a} is older, 0 when equal, positive when newer. */
  public static int compare(String a, String b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    if (a.equals(b)) {
      return 0;
    }
    return parse(a).compareTo(parse(b));
  }

  @Override
  public int compareTo(PacmanVersion other) {
    if (text.equals(other.text)) {
      return 0;
    }
    int order = segments(epoch, other.epoch);
    if (order == 0) {
      order = segments(version, other.version);
      if (order == 0 && release != null && other.release != null) {
        order = segments(release, other.release);
      }
    }
    return order;
  }

  /** Whether this version is newer than {@code other} in pacman's order. */
  public boolean isNewerThan(PacmanVersion other) {
    return compareTo(other) > 0;
  }

  /** The epoch, {@code "0"} when the version has none. */
  public String epoch() {
    return epoch;
  }

  /** pkgver: between the epoch and the last {@code -}. */
  public String version() {
    return version;
  }

  /** pkgrel, or {@code null} when the version has no {@code -}. */
  public String release() {
    return release;
  }

  @Override
  public String toString() {
    return text;
  }

  /**
   * Versions are equal when pacman calls them equal ({@code 1.0} equals {@code 1.0-1} and {@code 0:1.0}), so
   * there is no hash consistent with equals short of normalising; this class is therefore only equal to itself
   * by text. Use {@link #compareTo} for pacman's notion of equality.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof PacmanVersion v && v.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** libalpm's {@code rpmvercmp}, on the bytes pacman sees (UTF-8). */
  static int segments(String left, String right) {
    if (left.equals(right)) {
      return 0;
    }
    byte[] a = left.getBytes(StandardCharsets.UTF_8);
    byte[] b = right.getBytes(StandardCharsets.UTF_8);
    int one = 0;
    int two = 0;
    int ptr1 = 0;
    int ptr2 = 0;
    while (one < a.length && two < b.length) {
      while (one < a.length && !isAlnum(a[one])) {
        one++;
      }
      while (two < b.length && !isAlnum(b[two])) {
        two++;
      }
      if (one >= a.length || two >= b.length) {
        break;
      }
      // separator runs of different length decide
      if (one - ptr1 != two - ptr2) {
        return one - ptr1 < two - ptr2 ? -1 : 1;
      }
      ptr1 = one;
      ptr2 = two;
      boolean numeric;
      if (isDigit(a[ptr1])) {
        while (ptr1 < a.length && isDigit(a[ptr1])) {
          ptr1++;
        }
        while (ptr2 < b.length && isDigit(b[ptr2])) {
          ptr2++;
        }
        numeric = true;
      } else {
        while (ptr1 < a.length && isAlpha(a[ptr1])) {
          ptr1++;
        }
        while (ptr2 < b.length && isAlpha(b[ptr2])) {
          ptr2++;
        }
        numeric = false;
      }
      if (two == ptr2) {
        // segments of different kinds: numeric beats alpha
        return numeric ? 1 : -1;
      }
      int s1 = one;
      int s2 = two;
      if (numeric) {
        while (s1 < ptr1 && a[s1] == '0') {
          s1++;
        }
        while (s2 < ptr2 && b[s2] == '0') {
          s2++;
        }
        int length1 = ptr1 - s1;
        int length2 = ptr2 - s2;
        if (length1 != length2) {
          return length1 > length2 ? 1 : -1;
        }
      }
      int rc = Arrays.compareUnsigned(a, s1, ptr1, b, s2, ptr2);
      if (rc != 0) {
        return rc < 0 ? -1 : 1;
      }
      one = ptr1;
      two = ptr2;
    }
    boolean oneEnded = one >= a.length;
    boolean twoEnded = two >= b.length;
    if (oneEnded && twoEnded) {
      return 0;
    }
    // a remaining alpha segment never beats an empty one
    if (oneEnded && !(twoEnded || isAlpha(b[two])) || !oneEnded && isAlpha(a[one])) {
      return -1;
    }
    return 1;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAlpha(int c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  private static boolean isAlnum(int c) {
    return isDigit(c) || isAlpha(c);
  }
}
