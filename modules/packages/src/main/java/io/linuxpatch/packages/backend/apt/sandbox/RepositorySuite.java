package io.linuxpatch.packages.backend.apt.sandbox;

import java.util.regex.Pattern;

/**
 * One suite of a {@link LocalRepository}, published as {@code dists/<name>/} with component {@code main}.
 * apt reports the suite in {@code Inst} lines and {@code apt-cache policy} ({@code a=<name>}), which is how a
 * backend tells a security update ({@code *-security}) from a normal one (PKG-3).
 *
 * @param name     the Suite field and directory name, e.g. {@code stable-security}
 * @param codename the Codename field, e.g. {@code demo-security}
 * @param version  the Version field, e.g. {@code 1.0}
 */
public record RepositorySuite(String name, String codename, String version) {

  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

  public RepositorySuite {
    // The name becomes a directory and a sources.list word; the others are single-line Release fields.
    check("name", name);
    check("codename", codename);
    check("version", version);
  }

  private static void check(String what, String value) {
    if (value == null || !WORD.matcher(value).matches()) {
      throw new IllegalArgumentException("invalid suite " + what + " \"" + value + "\"");
    }
  }
}
