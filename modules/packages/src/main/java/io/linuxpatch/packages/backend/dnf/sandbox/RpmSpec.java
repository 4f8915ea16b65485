package io.linuxpatch.packages.backend.dnf.sandbox;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What one sandbox {@code .rpm} contains: its header fields, relations, scriptlets and a few files. Built with
 * {@link #of} and the {@code with*} methods; every instance is validated so that the spec file
 * {@link RpmBuilder} writes is well-formed and says exactly this (no field can smuggle a spec directive).
 *
 * <p>Scriptlets run chrooted in the installroot with the {@code sandbox-sh} package's {@code /bin/sh} (dash):
 * only shell built-ins are available, so a scriptlet writes with {@code echo … >> file} into directories the
 * package owns ({@link #withDirectory}). Their text is taken literally: every {@code %} is escaped for rpm.
 *
 * @param name        rpm name
 * @param epoch       {@code null} for none
 * @param version     rpm version (no {@code -})
 * @param release     rpm release (no {@code -})
 * @param arch        {@code noarch}, or {@code null} for the build host's architecture (a package with binaries)
 * @param summary     one line
 * @param description free text
 * @param url         URL header, or {@code null}
 * @param relations   Requires, Provides, Conflicts, Obsoletes and Recommends entries, e.g. {@code demo-lib >= 2.0}
 * @param files       the files the package installs
 * @param directories absolute directories the package owns ({@code %dir})
 * @param scriptlets  scriptlet bodies
 */
public record RpmSpec(String name, Integer epoch, String version, String release, String arch, String summary,
    String description, String url, Map<Relation, List<String>> relations, List<RpmFile> files,
    List<String> directories, Map<Scriptlet, String> scriptlets) {

  /** SEC-9's rpm name form. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_+][A-Za-z0-9_+.-]{0,127}");
  /** rpm refuses '-' in version and release; the rest is what rpmbuild accepts. */
  private static final Pattern VERSION_PART = Pattern.compile("[A-Za-z0-9._+~^]{1,64}");
  private static final Pattern ARCH = Pattern.compile("[a-z0-9_]{1,32}");
  /** Paths go unquoted into %files: plain characters only. */
  private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._+-]+)+");
  /** A relation is one line of "name [op version]"; no spec syntax. */
  private static final Pattern RELATION = Pattern.compile("[A-Za-z0-9_+/][A-Za-z0-9_+./()-]*( (<|<=|=|>=|>) [A-Za-z0-9._+~^:-]+)?");

  /** A dependency header. */
  public enum Relation {
    REQUIRES("Requires"), PROVIDES("Provides"), CONFLICTS("Conflicts"), OBSOLETES("Obsoletes"),
    RECOMMENDS("Recommends");

    private final String tag;

    Relation(String tag) {
      this.tag = tag;
    }

    /** The spec tag, e.g. {@code Requires}. */
    public String tag() {
      return tag;
    }
  }

  /** A scriptlet section. */
  public enum Scriptlet {
    PRE, POST, PREUN, POSTUN, PRETRANS, POSTTRANS;

    /** The spec section, e.g. {@code %post}. */
    public String section() {
      return "%" + name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One file of the package.
   *
   * @param path    absolute path in the installed system
   * @param content the bytes, or {@code null} when {@link #source} gives them
   * @param source  a host file copied at build time (e.g. the host's dash), or {@code null}
   * @param mode    permission bits, e.g. {@code 0644}
   */
  public record RpmFile(String path, byte[] content, Path source, int mode) {
    public RpmFile {
      requirePath(path);
      if ((content == null) == (source == null)) {
        throw new IllegalArgumentException(path + ": give either the content or a source file");
      }
      content = content == null ? null : content.clone();
      if (mode < 0 || mode > 07777) {
        throw new IllegalArgumentException(path + ": invalid mode " + Integer.toOctalString(mode));
      }
    }

    /** A text file, mode 0644. */
    public static RpmFile text(String path, String content) {
      return new RpmFile(path, content.getBytes(StandardCharsets.UTF_8), null, 0644);
    }

    /** A copy of a host file, e.g. a binary. */
    public static RpmFile copyOf(String path, Path source, int mode) {
      return new RpmFile(path, null, source, mode);
    }

    @Override
    public byte[] content() {
      return content == null ? null : content.clone();
    }
  }

  public RpmSpec {
    requireMatch("name", name, NAME);
    if (epoch != null && epoch < 0) {
      throw new IllegalArgumentException("epoch must not be negative, got " + epoch);
    }
    requireMatch("version", version, VERSION_PART);
    requireMatch("release", release, VERSION_PART);
    if (arch != null) {
      requireMatch("arch", arch, ARCH);
    }
    requireSingleLine("summary", Objects.requireNonNull(summary, "summary"));
    if (summary.isBlank()) {
      throw new IllegalArgumentException("a package needs a summary");
    }
    requireNoSectionLine("description", Objects.requireNonNull(description, "description"));
    if (url != null) {
      requireSingleLine("url", url);
      if (url.isBlank() || url.contains(" ")) {
        throw new IllegalArgumentException("a URL is one word, got \"" + url + "\"");
      }
    }
    Map<Relation, List<String>> checked = new EnumMap<>(Relation.class);
    (relations == null ? Map.<Relation, List<String>>of() : relations).forEach((kind, entries) -> {
      for (String entry : entries) {
        requireMatch(kind.tag(), entry, RELATION);
      }
      checked.put(kind, List.copyOf(entries));
    });
    relations = Map.copyOf(checked);
    files = List.copyOf(files == null ? List.of() : files);
    directories = List.copyOf(directories == null ? List.of() : directories);
    directories.forEach(RpmSpec::requirePath);
    scriptlets = Map.copyOf(scriptlets == null ? Map.of() : scriptlets);
    scriptlets.forEach((which, body) -> requireNoSectionLine(which.section(), body));
  }

  /** A {@code noarch} package with no relations, files or scriptlets. */
  public static RpmSpec of(String name, String version, String release, String summary) {
    return new RpmSpec(name, null, version, release, "noarch", summary, summary + ".", null, Map.of(), List.of(),
        List.of(), Map.of());
  }

  public RpmSpec withEpoch(int value) {
    return new RpmSpec(name, value, version, release, arch, summary, description, url, relations, files, directories,
        scriptlets);
  }

  /** {@code null} builds for the host's architecture. */
  public RpmSpec withArch(String value) {
    return new RpmSpec(name, epoch, version, release, value, summary, description, url, relations, files, directories,
        scriptlets);
  }

  public RpmSpec withDescription(String value) {
    return new RpmSpec(name, epoch, version, release, arch, summary, value, url, relations, files, directories,
        scriptlets);
  }

  public RpmSpec withUrl(String value) {
    return new RpmSpec(name, epoch, version, release, arch, summary, description, value, relations, files, directories,
        scriptlets);
  }

  /** Adds entries to one relation, e.g. {@code with(Relation.REQUIRES, "demo-lib >= 2.0")}. */
  public RpmSpec with(Relation kind, String... entries) {
    Map<Relation, List<String>> more = new EnumMap<>(Relation.class);
    more.putAll(relations);
    List<String> list = new ArrayList<>(relations.getOrDefault(kind, List.of()));
    list.addAll(Arrays.asList(entries));
    more.put(kind, list);
    return new RpmSpec(name, epoch, version, release, arch, summary, description, url, more, files, directories,
        scriptlets);
  }

  public RpmSpec withFile(RpmFile file) {
    List<RpmFile> more = new ArrayList<>(files);
    more.add(file);
    return new RpmSpec(name, epoch, version, release, arch, summary, description, url, relations, more, directories,
        scriptlets);
  }

  /** A directory the package owns (created empty). */
  public RpmSpec withDirectory(String path) {
    List<String> more = new ArrayList<>(directories);
    more.add(path);
    return new RpmSpec(name, epoch, version, release, arch, summary, description, url, relations, files, more,
        scriptlets);
  }

  /** Sets one scriptlet's body (run by the sandbox's {@code /bin/sh}, taken literally). */
  public RpmSpec withScriptlet(Scriptlet which, String body) {
    Map<Scriptlet, String> more = new EnumMap<>(Scriptlet.class);
    more.putAll(scriptlets);
    more.put(which, Objects.requireNonNull(body, "body"));
    return new RpmSpec(name, epoch, version, release, arch, summary, description, url, relations, files, directories,
        more);
  }

  /** {@code [epoch:]version-release}, as rpm and dnf print it. */
  public String evr() {
    return (epoch == null ? "" : epoch + ":") + version + "-" + release;
  }

  /** {@code name-version-release}: the argument that makes dnf pick exactly this version. */
  public String nameVersionRelease() {
    return name + "-" + version + "-" + release;
  }

  private static void requirePath(String path) {
    if (path == null || !PATH.matcher(path).matches() || path.contains("/../") || path.endsWith("/..")
        || path.contains("/./")) {
      throw new IllegalArgumentException("a package path is absolute and plain ([A-Za-z0-9._+-] between slashes), got \""
          + path + "\"");
    }
  }

  private static void requireMatch(String what, String value, Pattern pattern) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new IllegalArgumentException("invalid " + what + " \"" + value + "\" (form " + pattern.pattern() + ")");
    }
  }

  /** rpm finds sections after expanding macros, so even an escaped {@code %%files} line would start one. */
  private static void requireNoSectionLine(String what, String text) {
    for (String line : text.split("\n", -1)) {
      if (line.strip().startsWith("%")) {
        throw new IllegalArgumentException(what + " must not have a line starting with '%' (rpm reads it as a "
            + "spec section): \"" + line + "\"");
      }
    }
  }

  private static void requireSingleLine(String what, String value) {
    if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
      throw new IllegalArgumentException(what + " must be a single line");
    }
  }
}
