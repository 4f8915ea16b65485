package io.linuxpatch.packages.backend.apt.plan;

import java.util.Comparator;

/**
 * Test-only Debian version order (epoch, upstream, revision; {@code ~} before everything, letters before
 * other characters), enough to tell upgrades from downgrades until the production comparator is plugged in;
 * {@link TestDebianVersionsTest} checks it against {@code dpkg --compare-versions}.
 */
public final class TestDebianVersions implements Comparator<String> {

  public static final TestDebianVersions ORDER = new TestDebianVersions();

  @Override
  public int compare(String a, String b) {
    String[] x = split(a);
    String[] y = split(b);
    int epoch = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
    if (epoch != 0) {
      return epoch;
    }
    int upstream = part(x[1], y[1]);
    return upstream != 0 ? upstream : part(x[2], y[2]);
  }

  private static String[] split(String v) {
    int colon = v.indexOf(':');
    String epoch = colon < 0 ? "0" : v.substring(0, colon);
    String rest = v.substring(colon + 1);
    int dash = rest.lastIndexOf('-');
    return dash < 0 ? new String[] {epoch, rest, "0"}
        : new String[] {epoch, rest.substring(0, dash), rest.substring(dash + 1)};
  }

  private static int order(char c) {
    if (Character.isDigit(c)) {
      return 0;
    }
    if (Character.isLetter(c)) {
      return c;
    }
    return c == '~' ? -1 : c + 256;
  }

  private static int part(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      int firstDiff = 0;
      while ((i < a.length() && !Character.isDigit(a.charAt(i))) || (j < b.length() && !Character.isDigit(b.charAt(j)))) {
        int ac = i < a.length() ? order(a.charAt(i)) : 0;
        int bc = j < b.length() ? order(b.charAt(j)) : 0;
        if (ac != bc) {
          return ac - bc;
        }
        i++;
        j++;
      }
      while (i < a.length() && a.charAt(i) == '0') {
        i++;
      }
      while (j < b.length() && b.charAt(j) == '0') {
        j++;
      }
      while (i < a.length() && Character.isDigit(a.charAt(i)) && j < b.length() && Character.isDigit(b.charAt(j))) {
        if (firstDiff == 0) {
          firstDiff = a.charAt(i) - b.charAt(j);
        }
        i++;
        j++;
      }
      if (i < a.length() && Character.isDigit(a.charAt(i))) {
        return 1;
      }
      if (j < b.length() && Character.isDigit(b.charAt(j))) {
        return -1;
      }
      if (firstDiff != 0) {
        return firstDiff;
      }
    }
    return 0;
  }
}
