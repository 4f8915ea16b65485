package io.linuxpatch.packages.backend.dnf.version;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * An rpm version {@code [epoch:]version[-release]} (EVR), split and ordered exactly like rpm 4.18's
 * {@code rpmverParse} and {@code rpmverCmp} — the comparison behind {@code rpm.vercmp()} in rpm's Lua and
 * behind dnf's "is this newer" — so that the dnf backend tells upgrades from downgrades and finds the newest
 * installed kernel the way rpm does.
 *
 * <p>Splitting: the epoch is the run of digits before a {@code :} at the very start ({@code :1.0} has epoch
 * {@code 0}; {@code a:1.0} has none, its version is {@code a:1.0}); the release follows the last {@code -}.
 * A missing epoch compares as {@code 0}; a missing release sorts below any present one
 * ({@code 1.0 < 1.0-1}), as in {@code rpmverCmp}. Each part is compared with {@link #rpmvercmp}.
 *
 * <p>Ordering is not consistent with {@link #equals}: {@code 1.0} and {@code 1.00}, or {@code 0:1.0} and
 * {@code 1.0}, compare as equal but are different texts.
 *
 * @param epoch   the epoch digits as written, {@code null} when absent ({@code "0"} for {@code :1.0})
 * @param version the version part, never null (may be empty, as rpm allows for {@code 1:})
 * @param release the release part, {@code null} when there is no {@code -}
 */
public record RpmVersion(String epoch, String version, String release) implements Comparable<RpmVersion> {

  /** EVR texts in rpm's order; throws {@link IllegalArgumentException} for an empty text. */
  public static final Comparator<String> ORDER = (a, b) -> parse(a).compareTo(parse(b));

  public RpmVersion {
    Objects.requireNonNull(version, "version");
    if (epoch != null && !isDigits(epoch)) {
      throw new IllegalArgumentException("an rpm epoch is digits only, got \"" + epoch + "\"");
    }
  }

  /**
   * Splits an EVR the way rpm's {@code parseEVR} does.
   *
   * @throws IllegalArgumentException for {@code null} or an empty text (rpm's {@code rpmverParse} refuses it)
   */
  public static RpmVersion parse(String evr) {
    if (evr == null || evr.isEmpty()) {
      throw new IllegalArgumentException("an rpm version is required");
    }
    int digitsEnd = 0;
    while (digitsEnd < evr.length() && isAsciiDigit(evr.charAt(digitsEnd))) {
      digitsEnd++;
    }
    // rpm looks for the release separator from the end of the epoch digits; no digit is a '-', so the last
    // '-' of the whole text is the same one.
    int releaseSeparator = evr.lastIndexOf('-');
    String epoch = null;
    int versionStart = 0;
    if (digitsEnd < evr.length() && evr.charAt(digitsEnd) == ':') {
      epoch = digitsEnd == 0 ? "0" : evr.substring(0, digitsEnd);
      versionStart = digitsEnd + 1;
    }
    if (releaseSeparator >= versionStart) {
      return new RpmVersion(epoch, evr.substring(versionStart, releaseSeparator), evr.substring(releaseSeparator + 1));
    }
    return new RpmVersion(epoch, evr.substring(versionStart), null);
  }

  /** {@link #parse} for callers that report rather than throw. */
  public static Optional<RpmVersion> tryParse(String evr) {
    try {
      return Optional.of(parse(evr));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The version of an rpm header: what {@code rpm -q --qf '%{EPOCH} %{VERSION} %{RELEASE}'} prints.
   *
   * @param epoch {@code null} when the package has no epoch
   */
  public static RpmVersion of(Integer epoch, String version, String release) {
    return new RpmVersion(epoch == null ? null : Integer.toString(epoch), version, release);
  }

  /** The epoch as a number, 0 when absent (rpm's {@code rpmverEVal}). */
  public long epochNumber() {
    if (epoch == null) {
      return 0;
    }
    String digits = epoch.replaceFirst("^0+(?=.)", "");
    return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
  }

  /** Whether {@code this} sorts after {@code other} in rpm's order. */
  public boolean isNewerThan(RpmVersion other) {
    return compareTo(other) > 0;
  }

  /** rpm 4.18 {@code rpmverCmp}: epoch (absent = 0), then version, then release (absent sorts first). */
  @Override
  public int compareTo(RpmVersion other) {
    int order = compareParts(epoch == null ? "0" : epoch, other.epoch == null ? "0" : other.epoch);
    if (order == 0) {
      order = compareParts(version, other.version);
      if (order == 0) {
        order = compareParts(release, other.release);
      }
    }
    return order;
  }

  /**
   * The text rpm would print for this EVR ({@code rpmverEVR}): the epoch only when one was written, as in
   * {@code 2:1.1-1}.
   */
  @Override
  public String toString() {
    return (epoch == null ? "" : epoch + ":") + version + (release == null ? "" : "-" + release);
  }

  /**
   * The form dnf prints in its tables and NEVRAs ({@code evr} of a package): the epoch only when it is not 0,
   * so {@code 0:1.0-1} reads {@code 1.0-1}.
   */
  public String dnfForm() {
    boolean showEpoch = epoch != null && epochNumber() != 0;
    return (showEpoch ? epoch + ":" : "") + version + (release == null ? "" : "-" + release);
  }

  /** rpm's {@code compare_values}: a present part is newer than an absent one. */
  private static int compareParts(String a, String b) {
    if (a == null && b == null) {
      return 0;
    }
    if (b == null) {
      return 1;
    }
    if (a == null) {
      return -1;
    }
    return rpmvercmp(a, b);
  }

  /**
   * rpm's segmented string comparison ({@code rpmvercmp.c}), for one part of an EVR: separators (anything
   * but ASCII letters, digits, {@code ~} and {@code ^}) are skipped; {@code ~} sorts before everything, even
   * the end of the string; {@code ^} sorts after the end of the string but before anything else; a numeric
   * segment beats an alphabetic one; numbers compare by value (any length), letters by ASCII order; when all
   * segments match, the text with something left over is newer.
   *
   * @return -1, 0 or 1
   */
  public static int rpmvercmp(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    int one = 0;
    int two = 0;
    while (one < a.length() || two < b.length()) {
      while (one < a.length() && isSeparator(a.charAt(one))) {
        one++;
      }
      while (two < b.length() && isSeparator(b.charAt(two))) {
        two++;
      }
      char c1 = one < a.length() ? a.charAt(one) : '\0';
      char c2 = two < b.length() ? b.charAt(two) : '\0';

      if (c1 == '~' || c2 == '~') {
        if (c1 != '~') {
          return 1;
        }
        if (c2 != '~') {
          return -1;
        }
        one++;
        two++;
        continue;
      }
      if (c1 == '^' || c2 == '^') {
        if (c1 == '\0') {
          return -1;
        }
        if (c2 == '\0') {
          return 1;
        }
        if (c1 != '^') {
          return 1;
        }
        if (c2 != '^') {
          return -1;
        }
        one++;
        two++;
        continue;
      }
      if (c1 == '\0' || c2 == '\0') {
        break;
      }

      int end1 = one;
      int end2 = two;
      boolean numeric = isAsciiDigit(c1);
      if (numeric) {
        while (end1 < a.length() && isAsciiDigit(a.charAt(end1))) {
          end1++;
        }
        while (end2 < b.length() && isAsciiDigit(b.charAt(end2))) {
          end2++;
        }
      } else {
        while (end1 < a.length() && isAsciiLetter(a.charAt(end1))) {
          end1++;
        }
        while (end2 < b.length() && isAsciiLetter(b.charAt(end2))) {
          end2++;
        }
      }
      // The segments are of different kinds: a number is newer than letters.
      if (two == end2) {
        return numeric ? 1 : -1;
      }
      int start1 = one;
      int start2 = two;
      if (numeric) {
        while (start1 < end1 && a.charAt(start1) == '0') {
          start1++;
        }
        while (start2 < end2 && b.charAt(start2) == '0') {
          start2++;
        }
        int length1 = end1 - start1;
        int length2 = end2 - start2;
        if (length1 != length2) {
          return length1 > length2 ? 1 : -1;
        }
      }
      int order = a.substring(start1, end1).compareTo(b.substring(start2, end2));
      if (order != 0) {
        return order < 0 ? -1 : 1;
      }
      one = end1;
      two = end2;
    }
    if (one >= a.length() && two >= b.length()) {
      return 0;
    }
    return one >= a.length() ? -1 : 1;
  }

  private static boolean isSeparator(char c) {
    return !isAsciiDigit(c) && !isAsciiLetter(c) && c != '~' && c != '^';
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isAsciiDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
