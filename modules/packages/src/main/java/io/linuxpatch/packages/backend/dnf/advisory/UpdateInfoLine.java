package io.linuxpatch.packages.backend.dnf.advisory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of {@code dnf updateinfo list} (dnf 4.14 {@code display_list}): {@code ID LABEL NEVRA}, with a
 * two-character {@code "i "}/{@code "  "} mark in front under {@code --all}, and the advisory's update date
 * after it under {@code -v}. With {@code --with-cve} the first column is a CVE id instead of the advisory id.
 *
 * <p>The label is dnf's {@code SECURITY2LABEL}/{@code TYPE2LABEL}: {@code Critical/Sec.}, {@code Important/Sec.},
 * {@code Moderate/Sec.}, {@code Low/Sec.}, {@code Unknown/Sec.} for security advisories, else the type
 * ({@code bugfix}, {@code enhancement}, {@code newpackage}, {@code unknown}) — dnf prints no severity for a
 * non-security advisory. Only lines of exactly that shape are read, so the debug lines {@code -v} adds are
 * skipped.
 *
 * @param id        the advisory id, or the CVE id under {@code --with-cve}
 * @param label     the type/severity label as printed
 * @param nevra     the package version the advisory is about, {@code name-[epoch:]version-release.arch}
 * @param installed under {@code --all} whether that version is installed, else {@code null}
 * @param updated   under {@code -v} the advisory's update date ({@code 2026-01-10 00:00:00}), else {@code null}
 */
public record UpdateInfoLine(String id, String label, String nevra, Boolean installed, String updated) {

  private static final Pattern LINE = Pattern.compile("^(?:(i| ) )?(\\S+) +((?:Critical|Important|Moderate|Low|Unknown)/Sec\\."
      + "|bugfix|enhancement|newpackage|unknown) +(\\S+)(?: +(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d))? *$");

  /** The lines of dnf's stdout that are advisory lines, in order. */
  public static List<UpdateInfoLine> parse(String stdout) {
    List<UpdateInfoLine> lines = new ArrayList<>();
    if (stdout == null) {
      return lines;
    }
    for (String line : stdout.split("\r?\n")) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        lines.add(new UpdateInfoLine(m.group(2), m.group(3), m.group(4),
            m.group(1) == null ? null : m.group(1).equals("i"), m.group(5)));
      }
    }
    return lines;
  }

  /** Whether the label marks a security advisory. */
  public boolean security() {
    return label.endsWith("/Sec.");
  }

  /** The advisory type: {@code security}, {@code bugfix}, {@code enhancement}, {@code newpackage} or {@code unknown}. */
  public String type() {
    return security() ? "security" : label;
  }

  /** dnf's severity word for a security advisory ({@code Important}), {@code null} for other types. */
  public String dnfSeverity() {
    return security() ? label.substring(0, label.length() - "/Sec.".length()) : null;
  }

  /** What identifies the package line of an advisory across the two listings (with and without CVEs). */
  String joinKey() {
    return nevra + "\t" + label + "\t" + (updated == null ? "" : updated) + "\t" + installed;
  }
}
