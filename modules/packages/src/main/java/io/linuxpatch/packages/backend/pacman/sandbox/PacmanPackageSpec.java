package io.linuxpatch.packages.backend.pacman.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What one sandbox pacman package ({@code .pkg.tar.zst}) contains: the {@code .PKGINFO} fields, an optional
 * install scriptlet and its files. Built with {@link #of} and the {@code with*} methods; every instance is
 * validated so that the {@code .PKGINFO} {@link PacmanPackageBuilder} writes is well-formed.
 *
 * <p>Install scriptlets ({@code .INSTALL}: {@code pre_install}, {@code post_install}, {@code pre_upgrade},
 * {@code post_upgrade}, {@code pre_remove}, {@code post_remove} functions) run as {@code /bin/sh} chrooted into
 * the sandbox root, where the only shell is the one {@code sandbox-sh} ships and there are no other programs:
 * a scriptlet may use shell built-ins only (e.g. {@code echo … >> /var/lib/x/history} into a directory the
 * package itself ships). A package with a scriptlet should depend on {@code sh} so pacman installs the shell.
 *
 * @param name        pkgname (pacman's name form)
 * @param version     {@code [epoch:]pkgver-pkgrel}
 * @param description pkgdesc, one line
 * @param url         upstream URL, or {@code null}
 * @param depends     {@code depend} entries, e.g. {@code demo-lib>=2.0}
 * @param conflicts   {@code conflict} entries
 * @param provides    {@code provides} entries, e.g. {@code sh}
 * @param replaces    {@code replaces} entries
 * @param install     the {@code .INSTALL} scriptlet text, or {@code null} for none
 * @param files       the package's files and directories
 */
public record PacmanPackageSpec(
    String name,
    String version,
    String description,
    String url,
    List<String> depends,
    List<String> conflicts,
    List<String> provides,
    List<String> replaces,
    String install,
    List<PackageFile> files) {

  /** pacman's own name rule (makepkg's lint): alphanumerics and {@code @._+-}, not starting with - or . */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9@_+][A-Za-z0-9@_+.-]{0,127}");
  /** pkgver may not hold {@code -}, {@code /}, {@code :} or whitespace; pkgrel is a number with an optional .N. */
  private static final Pattern VERSION = Pattern.compile("([0-9]+:)?[A-Za-z0-9._+~]+-[0-9]+(\\.[0-9]+)?");
  /** A relation: a package name, optionally a comparison and a version; no spaces (pacman splits on none). */
  private static final Pattern RELATION = Pattern.compile("[A-Za-z0-9@_+][A-Za-z0-9@_+.-]*((<|<=|=|>=|>)[A-Za-z0-9.:_+~-]+)?");

  public PacmanPackageSpec {
    require("name", name, NAME);
    require("version", version, VERSION);
    Objects.requireNonNull(description, "description");
    requireOneLine("description", description);
    requireOneLine("url", url);
    depends = relations("depends", depends);
    conflicts = relations("conflicts", conflicts);
    provides = relations("provides", provides);
    replaces = relations("replaces", replaces);
    files = List.copyOf(files == null ? List.of() : files);
    if (files.stream().map(PackageFile::path).distinct().count() != files.size()) {
      throw new IllegalArgumentException(name + ": a path is listed twice");
    }
  }

  /** A package with a description and nothing else. */
  public static PacmanPackageSpec of(String name, String version, String description) {
    return new PacmanPackageSpec(name, version, description, null, List.of(), List.of(), List.of(), List.of(),
        null, List.of());
  }

  /** The file name repo-add and pacman expect: {@code NAME-VERSION-any.pkg.tar.zst}. */
  public String fileName() {
    return name + "-" + version + "-any.pkg.tar.zst";
  }

  public PacmanPackageSpec withUrl(String value) {
    return new PacmanPackageSpec(name, version, description, value, depends, conflicts, provides, replaces, install,
        files);
  }

  public PacmanPackageSpec withDepends(String... values) {
    return new PacmanPackageSpec(name, version, description, url, List.of(values), conflicts, provides, replaces,
        install, files);
  }

  public PacmanPackageSpec withConflicts(String... values) {
    return new PacmanPackageSpec(name, version, description, url, depends, List.of(values), provides, replaces,
        install, files);
  }

  public PacmanPackageSpec withProvides(String... values) {
    return new PacmanPackageSpec(name, version, description, url, depends, conflicts, List.of(values), replaces,
        install, files);
  }

  public PacmanPackageSpec withReplaces(String... values) {
    return new PacmanPackageSpec(name, version, description, url, depends, conflicts, provides, List.of(values),
        install, files);
  }

  /** The {@code .INSTALL} scriptlet; see the class comment for what it may use. */
  public PacmanPackageSpec withInstall(String script) {
    return new PacmanPackageSpec(name, version, description, url, depends, conflicts, provides, replaces, script,
        files);
  }

  /** Adds a file (its parent directories are added to the archive as needed). */
  public PacmanPackageSpec withFile(PackageFile file) {
    List<PackageFile> more = new ArrayList<>(files);
    more.add(file);
    return new PacmanPackageSpec(name, version, description, url, depends, conflicts, provides, replaces, install,
        more);
  }

  /** Adds a small UTF-8 text file with mode 0644. */
  public PacmanPackageSpec withTextFile(String path, String content) {
    return withFile(PackageFile.text(path, content));
  }

  /** Adds an empty directory owned by the package, mode 0755. */
  public PacmanPackageSpec withDirectory(String path) {
    return withFile(PackageFile.directory(path));
  }

  /** The sum of the file sizes: {@code .PKGINFO}'s {@code size}, pacman's installed size. */
  public long installedSize() {
    return files.stream().mapToLong(PackageFile::size).sum();
  }

  private static List<String> relations(String field, List<String> values) {
    List<String> copy = List.copyOf(values == null ? List.of() : values);
    for (String value : copy) {
      require(field, value, RELATION);
    }
    return copy;
  }

  private static void require(String field, String value, Pattern form) {
    if (value == null || !form.matcher(value).matches()) {
      throw new IllegalArgumentException("not a valid pacman " + field + ": \"" + value + "\" (form " + form + ")");
    }
  }

  private static void requireOneLine(String field, String value) {
    if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
      throw new IllegalArgumentException(field + " must be one line: \"" + value + "\"");
    }
  }
}
