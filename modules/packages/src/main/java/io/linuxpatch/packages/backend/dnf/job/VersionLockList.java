package io.linuxpatch.packages.backend.dnf.job;

import io.linuxpatch.packages.backend.dnf.version.RpmVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The holds of the dnf backend: the versionlock plugin's list, read from {@code dnf versionlock list} or
 * from the lock-list file itself (same lines; the file adds {@code #} comments). {@code versionlock add NAME}
 * writes {@code NAME-EPOCH:VERSION-RELEASE.*} for the installed version, {@code versionlock exclude} the same
 * with a leading {@code !}; an administrator may also write a bare name or a glob.
 *
 * @param entries in file order
 */
public record VersionLockList(List<Entry> entries) {

  /** {@code name-epoch:version-release.arch}, as the plugin writes it; the arch is usually {@code *}. */
  private static final Pattern LOCK = Pattern.compile("^(?<name>.+)-(?<epoch>\\d+):(?<version>[^-]+)-(?<release>[^-]+)"
      + "\\.(?<arch>[^.-]+)$");

  /**
   * One line.
   *
   * @param pattern the line as written (without {@code !})
   * @param exclude a {@code !} line: that version is excluded, not held
   * @param name    the package name, or the whole pattern when it is not in the plugin's form
   * @param version the locked EVR, {@code null} when the pattern names none
   * @param arch    the architecture pattern, {@code null} when the pattern names none
   */
  public record Entry(String pattern, boolean exclude, String name, RpmVersion version, String arch) {
  }

  public VersionLockList {
    entries = List.copyOf(entries);
  }

  /** Reads the list; blank lines, comments and dnf's "Last metadata expiration check" lines are skipped. */
  public static VersionLockList parse(String text) {
    List<Entry> entries = new ArrayList<>();
    for (String raw : (text == null ? "" : text).split("\r?\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("Last metadata expiration check")) {
        continue;
      }
      boolean exclude = line.startsWith("!");
      String pattern = exclude ? line.substring(1).strip() : line;
      Matcher m = LOCK.matcher(pattern);
      if (m.matches()) {
        entries.add(new Entry(pattern, exclude, m.group("name"),
            new RpmVersion(m.group("epoch"), m.group("version"), m.group("release")), m.group("arch")));
      } else {
        entries.add(new Entry(pattern, exclude, pattern, null, null));
      }
    }
    return new VersionLockList(entries);
  }

  /** The names held at a version (not {@code !} excludes), each once, in list order. */
  public List<String> heldNames() {
    return entries.stream().filter(e -> !e.exclude()).map(Entry::name).distinct().toList();
  }

  /** Whether {@code name} is held (an exact name; glob entries are not expanded). */
  public boolean holds(String name) {
    return entries.stream().anyMatch(e -> !e.exclude() && e.name().equals(name));
  }
}
