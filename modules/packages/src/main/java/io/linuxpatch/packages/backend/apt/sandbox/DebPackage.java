package io.linuxpatch.packages.backend.apt.sandbox;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What one sandbox {@code .deb} contains: its control fields, an optional postinst and a few small files.
 * Built with {@link #of} and the {@code with*} methods; every instance is validated so that the control
 * file {@link DebBuilder} writes is well-formed.
 *
 * <p>Maintainer scripts run with dpkg's {@code --force-script-chrootless} (see {@link SandboxRoot}), that is
 * on the host's filesystem with {@code DPKG_ROOT} set to the sandbox root: a postinst must therefore write
 * only below {@code "$DPKG_ROOT"}.
 *
 * @param name             Debian package name
 * @param version          Debian version, optionally with an epoch
 * @param architecture     {@code all} unless a test needs the host's
 * @param maintainer       Maintainer field
 * @param section          Section field
 * @param priority         Priority field
 * @param homepage         Homepage field, or {@code null} for none
 * @param source           Source field, or {@code null} for none
 * @param description      synopsis on the first line, optional extended description on the following lines
 * @param depends          Depends entries, e.g. {@code demo-lib (>= 2.0)}
 * @param conflicts        Conflicts entries
 * @param installedSizeKib Installed-Size in KiB, or {@code null} to compute it from {@link #files}
 * @param postinst         postinst script text ({@code #!/bin/sh} and {@code set -e} are added when it has no
 *                         {@code #!} line), or {@code null} for none
 * @param files            relative path inside the package → UTF-8 content, installed with mode 0644
 */
public record DebPackage(
    String name,
    String version,
    String architecture,
    String maintainer,
    String section,
    String priority,
    String homepage,
    String source,
    String description,
    List<String> depends,
    List<String> conflicts,
    Long installedSizeKib,
    String postinst,
    Map<String, String> files) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]{1,127}");
  private static final Pattern VERSION = Pattern.compile("([0-9]+:)?[0-9][A-Za-z0-9.+~-]*");
  private static final Pattern ARCHITECTURE = Pattern.compile("[a-z0-9][a-z0-9-]*");

  public DebPackage {
    requireMatch("name", name, NAME);
    requireMatch("version", version, VERSION);
    requireMatch("architecture", architecture, ARCHITECTURE);
    requireSingleLine("maintainer", Objects.requireNonNull(maintainer, "maintainer"));
    requireSingleLine("section", Objects.requireNonNull(section, "section"));
    requireSingleLine("priority", Objects.requireNonNull(priority, "priority"));
    requireSingleLine("homepage", homepage);
    requireSingleLine("source", source);
    Objects.requireNonNull(description, "description");
    if (description.isBlank()) {
      throw new IllegalArgumentException("a package needs a description (its first line is the synopsis)");
    }
    depends = relations("depends", depends);
    conflicts = relations("conflicts", conflicts);
    if (installedSizeKib != null && installedSizeKib < 0) {
      throw new IllegalArgumentException("Installed-Size must not be negative, got " + installedSizeKib);
    }
    files = checkedFiles(files == null ? Map.of() : files);
  }

  /** A package with architecture {@code all}, no relations, no scripts and no files. */
  public static DebPackage of(String name, String version, String description) {
    return new DebPackage(name, version, "all", "Linux Patch API Sandbox <sandbox@example.invalid>", "misc",
        "optional", null, null, description, List.of(), List.of(), null, null, Map.of());
  }

  public DebPackage withArchitecture(String value) {
    return new DebPackage(name, version, value, maintainer, section, priority, homepage, source, description,
        depends, conflicts, installedSizeKib, postinst, files);
  }

  public DebPackage withMaintainer(String value) {
    return new DebPackage(name, version, architecture, value, section, priority, homepage, source, description,
        depends, conflicts, installedSizeKib, postinst, files);
  }

  public DebPackage withSection(String value) {
    return new DebPackage(name, version, architecture, maintainer, value, priority, homepage, source, description,
        depends, conflicts, installedSizeKib, postinst, files);
  }

  public DebPackage withPriority(String value) {
    return new DebPackage(name, version, architecture, maintainer, section, value, homepage, source, description,
        depends, conflicts, installedSizeKib, postinst, files);
  }

  public DebPackage withHomepage(String value) {
    return new DebPackage(name, version, architecture, maintainer, section, priority, value, source, description,
        depends, conflicts, installedSizeKib, postinst, files);
  }

  public DebPackage withSource(String value) {
    return new DebPackage(name, version, architecture, maintainer, section, priority, homepage, value, description,
        depends, conflicts, installedSizeKib, postinst, files);
  }

  public DebPackage withDepends(String... relations) {
    return new DebPackage(name, version, architecture, maintainer, section, priority, homepage, source, description,
        Arrays.asList(relations), conflicts, installedSizeKib, postinst, files);
  }

  public DebPackage withConflicts(String... relations) {
    return new DebPackage(name, version, architecture, maintainer, section, priority, homepage, source, description,
        depends, Arrays.asList(relations), installedSizeKib, postinst, files);
  }

  public DebPackage withInstalledSize(long kib) {
    return new DebPackage(name, version, architecture, maintainer, section, priority, homepage, source, description,
        depends, conflicts, kib, postinst, files);
  }

  public DebPackage withPostinst(String script) {
    return new DebPackage(name, version, architecture, maintainer, section, priority, homepage, source, description,
        depends, conflicts, installedSizeKib, script, files);
  }

  /** Adds (or replaces) one file, e.g. {@code withFile("usr/share/doc/demo-tool/README", "…")}. */
  public DebPackage withFile(String relativePath, String content) {
    Map<String, String> more = new LinkedHashMap<>(files);
    more.put(relativePath, content);
    return new DebPackage(name, version, architecture, maintainer, section, priority, homepage, source, description,
        depends, conflicts, installedSizeKib, postinst, more);
  }

  /** The Installed-Size that goes into the control file: the given one, or the files' size rounded up to KiB. */
  public long effectiveInstalledSizeKib() {
    if (installedSizeKib != null) {
      return installedSizeKib;
    }
    long bytes = 0;
    for (String content : files.values()) {
      bytes += content.getBytes(StandardCharsets.UTF_8).length;
    }
    return Math.max(1, (bytes + 1023) / 1024);
  }

  /** The version as it appears in file names: Debian pool names drop the epoch. */
  public String versionWithoutEpoch() {
    int colon = version.indexOf(':');
    return colon < 0 ? version : version.substring(colon + 1);
  }

  /** {@code name_version_arch.deb}, the conventional pool file name. */
  public String fileName() {
    return name + "_" + versionWithoutEpoch() + "_" + architecture + ".deb";
  }

  /** The {@code DEBIAN/control} text, ending with a newline as dpkg-deb requires. */
  public String controlText() {
    StringBuilder out = new StringBuilder();
    field(out, "Package", name);
    field(out, "Version", version);
    field(out, "Architecture", architecture);
    field(out, "Maintainer", maintainer);
    field(out, "Installed-Size", Long.toString(effectiveInstalledSizeKib()));
    field(out, "Depends", String.join(", ", depends));
    field(out, "Conflicts", String.join(", ", conflicts));
    field(out, "Section", section);
    field(out, "Priority", priority);
    field(out, "Homepage", homepage);
    field(out, "Source", source);
    List<String> lines = description.strip().lines().toList();
    out.append("Description: ").append(lines.get(0).strip()).append('\n');
    for (String line : lines.subList(1, lines.size())) {
      // Extended description lines start with a space; an empty line is written as " ." (Debian policy 5.6.13).
      out.append(line.isBlank() ? " ." : " " + line.strip()).append('\n');
    }
    return out.toString();
  }

  /** The postinst as written to {@code DEBIAN/postinst}, or {@code null} when the package has none. */
  public String postinstScript() {
    if (postinst == null) {
      return null;
    }
    String body = postinst.endsWith("\n") ? postinst : postinst + "\n";
    return body.startsWith("#!") ? body : "#!/bin/sh\nset -e\n" + body;
  }

  private static void field(StringBuilder out, String key, String value) {
    if (value != null && !value.isEmpty()) {
      out.append(key).append(": ").append(value).append('\n');
    }
  }

  private static void requireMatch(String what, String value, Pattern pattern) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new IllegalArgumentException("invalid package " + what + " \"" + value + "\"");
    }
  }

  private static void requireSingleLine(String what, String value) {
    // A newline would start a new control field (or stanza) that the caller never asked for.
    if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
      throw new IllegalArgumentException("the " + what + " field must be a single line");
    }
  }

  private static List<String> relations(String what, List<String> values) {
    List<String> out = new ArrayList<>();
    for (String value : values == null ? List.<String>of() : values) {
      requireSingleLine(what, Objects.requireNonNull(value, what));
      if (value.isBlank() || value.contains(",")) {
        throw new IllegalArgumentException("give each " + what + " relation separately, got \"" + value + "\"");
      }
      out.add(value.strip());
    }
    return List.copyOf(out);
  }

  private static Map<String, String> checkedFiles(Map<String, String> files) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : files.entrySet()) {
      String path = Objects.requireNonNull(e.getKey(), "file path");
      Path p = Path.of(path);
      // The file lands below the sandbox root: it must stay there and keep out of the control area.
      if (path.isEmpty() || p.isAbsolute() || !p.normalize().equals(p) || p.startsWith("..")
          || p.startsWith("DEBIAN")) {
        throw new IllegalArgumentException("a package file needs a plain relative path, got \"" + path + "\"");
      }
      out.put(path, Objects.requireNonNull(e.getValue(), "content of " + path));
    }
    return Collections.unmodifiableMap(out);
  }
}
