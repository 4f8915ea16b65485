package io.linuxpatch.packages.backend.apt.sandbox;

import io.linuxpatch.packages.sandbox.SandboxCommandException;

import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A sandbox root with the package lists of a stock server of real size (issue 20, SPEC OPS-6): by default as
 * many packages and as many megabytes of {@code Packages} text as an Ubuntu 24.04 host with main, universe,
 * updates and security (about 100,000 stanzas, 150 MB), with realistic field sizes and dependency shapes, and a
 * dpkg database of the installed part of it. Deterministic: the same size and seed give the same bytes.
 *
 * <p>The lists are written where {@code apt-get update} would leave them, for a source that exists only in
 * name ({@code archive.scale.invalid}), and apt's binary cache is built from them ({@code apt-cache gencaches}),
 * as on a host after {@code apt update}. So real apt plans on it ({@code apt-get -s}); nothing can be
 * downloaded or installed from it. The installed packages depend only on each other, with constraints their
 * installed versions meet, so that apt finds the database consistent; some have newer versions in
 * {@code noble-updates} and {@code noble-security}.
 */
public final class ScaleSandbox {

  /**
   * How big the sandbox is.
   *
   * @param available   distinct package names in the lists
   * @param installed   how many of them are installed
   * @param updates     installed packages with a newer version in {@code noble-updates}
   * @param security    installed packages with a newer version in {@code noble-security}
   */
  public record Size(int available, int installed, int updates, int security) {

    /** A stock Ubuntu 24.04 server: about 100,000 packages and 150 MB of lists. */
    public static final Size UBUNTU_SERVER = new Size(100_000, 1_500, 60, 90);

    public Size {
      if (installed > available || updates + security > installed || installed < 1) {
        throw new IllegalArgumentException("inconsistent sandbox size " + this);
      }
    }
  }

  static final String HOST = "archive.scale.invalid";
  private static final String LISTS_PREFIX = HOST + "_ubuntu_dists_";
  private static final Duration GENCACHES_TIMEOUT = Duration.ofMinutes(5);
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final String[] STEMS = {"lib", "python3-", "golang-", "node-", "r-cran-", "ruby-", "libjs-", "php-",
      "texlive-", "fonts-", "gir1.2-", "librust-", "libghc-", "haskell-", "perl-", "xfonts-", "", "", "", ""};
  private static final String[] SYLLABLES = {"ab", "ac", "al", "an", "ar", "at", "ba", "be", "bo", "ca", "ce", "co",
      "da", "de", "di", "do", "el", "en", "er", "es", "fa", "fo", "ga", "ge", "gi", "ha", "he", "in", "io", "is",
      "ka", "ke", "la", "le", "li", "lo", "ma", "me", "mi", "mo", "na", "ne", "no", "nu", "ob", "or", "pa", "pe",
      "pi", "po", "qu", "ra", "re", "ri", "ro", "sa", "se", "si", "so", "ta", "te", "ti", "to", "tu", "un", "ur",
      "va", "ve", "vi", "xa", "ze", "zo"};
  private static final String[] SUFFIXES = {"", "", "", "-dev", "-doc", "-common", "-data", "-utils", "-bin", "1",
      "2", "3", "-tools", "-perl", "-dbg", "5", "-plugins"};
  private static final String[] SECTIONS = {"libs", "devel", "utils", "python", "web", "net", "doc", "admin",
      "science", "text", "graphics", "x11", "misc", "perl", "javascript", "golang", "rust", "haskell", "fonts"};
  private static final String[] WORDS = {"library", "tool", "support", "data", "files", "module", "framework",
      "interface", "bindings", "the", "for", "with", "and", "development", "runtime", "network", "parser",
      "client", "server", "utilities", "documentation", "headers", "static", "shared", "plugin", "extension",
      "implementation", "protocol", "format", "compression", "graphical", "command-line", "fast", "small"};

  private final Size size;
  private final Random random;
  private final List<String> names = new ArrayList<>();
  private final List<String> versions = new ArrayList<>();
  /** What apt hashes to tell two copies of a version apart, fixed per installed package so that the lists' copy and dpkg's are one version. */
  private final List<Installed> installedShape = new ArrayList<>();

  /** The fields of an installed package that the lists and the status file must agree on. */
  private record Installed(boolean architectureAll, int installedSizeKib, String depends, String section) {
  }

  private ScaleSandbox(Size size, long seed) {
    this.size = size;
    this.random = new Random(seed);
  }

  /**
   * Writes the sandbox under {@code dir/root} and returns it. Takes a few seconds at full size (writing the
   * lists, then apt building its cache from them).
   *
   * @throws SandboxCommandException when apt cannot build its cache from the lists
   */
  public static SandboxRoot create(Path dir, Size size, long seed, ProcessRunner runner) {
    SandboxRoot sandbox = SandboxRoot.at(dir.toAbsolutePath().normalize().resolve("root"), runner).create();
    ScaleSandbox scale = new ScaleSandbox(size, seed);
    try {
      scale.write(sandbox);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the real-scale sandbox under " + dir, e);
    }
    ProcessSpec gencaches = ProcessSpec.of(List.of("/usr/bin/apt-cache", "gencaches"))
        .withExtraEnv(sandbox.aptEnvironment()).withTimeout(GENCACHES_TIMEOUT);
    SandboxCommandException.requireSuccess(gencaches, runner.run(gencaches));
    return sandbox;
  }

  private void write(SandboxRoot sandbox) throws IOException {
    for (int i = 0; i < size.available(); i++) {
      names.add(uniqueName(i));
      versions.add(version());
    }
    for (int i = 0; i < size.installed(); i++) {
      installedShape.add(new Installed(random.nextInt(4) == 0, 8 + random.nextInt(40_000), depends(i),
          SECTIONS[random.nextInt(SECTIONS.length)]));
    }
    Files.writeString(sandbox.sourcesList(), "# A real-scale package catalogue (ScaleSandbox); nothing can be fetched.\n"
        + "deb [trusted=yes] http://" + HOST + "/ubuntu noble main universe\n"
        + "deb [trusted=yes] http://" + HOST + "/ubuntu noble-updates main universe\n"
        + "deb [trusted=yes] http://" + HOST + "/ubuntu noble-security main universe\n", StandardCharsets.UTF_8);
    Path lists = sandbox.root().resolve("var/lib/apt/lists");
    // Main holds the installed base and the first part of the catalogue, universe the rest (as on Ubuntu).
    int mainEnd = Math.max(size.installed(), size.available() / 6);
    writeRelease(lists, "noble", "Ubuntu", "24.04");
    writePackages(lists, "noble", "main", 0, mainEnd, null);
    writePackages(lists, "noble", "universe", mainEnd, size.available(), null);
    writeRelease(lists, "noble-updates", "Ubuntu", "24.04");
    writePackages(lists, "noble-updates", "main", 0, size.updates(), "update");
    writePackages(lists, "noble-updates", "universe", 0, 0, "update");
    writeRelease(lists, "noble-security", "Ubuntu", "24.04");
    writePackages(lists, "noble-security", "main", size.updates(), size.updates() + size.security(), "security");
    writePackages(lists, "noble-security", "universe", 0, 0, "security");
    writeStatus(sandbox.statusFile());
  }

  /** The version a package has after its update of this kind. */
  static String updated(String version, String kind) {
    return version + ("security".equals(kind) ? "+sec1" : "+upd1");
  }

  private void writeRelease(Path lists, String suite, String origin, String version) throws IOException {
    Files.writeString(lists.resolve(LISTS_PREFIX + suite + "_Release"), "Origin: " + origin + "\nLabel: " + origin
        + "\nSuite: " + suite + "\nVersion: " + version + "\nCodename: " + suite
        + "\nDate: Thu, 25 Apr 2024 15:10:33 UTC\nArchitectures: amd64 i386\nComponents: main universe\n"
        + "Description: Ubuntu Noble 24.04 (generated for a real-scale sandbox)\n", StandardCharsets.UTF_8);
  }

  /**
   * Packages {@code [from, to)} of the catalogue into one index; with {@code kind} each at its updated version.
   */
  private void writePackages(Path lists, String suite, String component, int from, int to, String kind)
      throws IOException {
    Path file = lists.resolve(LISTS_PREFIX + suite + "_" + component + "_binary-amd64_Packages");
    try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
      for (int i = from; i < to; i++) {
        String version = kind == null ? versions.get(i) : updated(versions.get(i), kind);
        writeAvailable(out, i, version, component);
      }
    }
  }

  private void writeAvailable(Writer out, int i, String version, String component) throws IOException {
    String name = names.get(i);
    Installed shape = i < installedShape.size() ? installedShape.get(i) : null;
    boolean arch = shape != null ? !shape.architectureAll() : random.nextInt(4) != 0;
    String source = source(name);
    StringBuilder s = new StringBuilder(1600);
    s.append("Package: ").append(name).append('\n')
        .append("Architecture: ").append(arch ? "amd64" : "all").append('\n')
        .append("Version: ").append(version).append('\n');
    if (shape == null && random.nextInt(3) == 0) {
      s.append("Multi-Arch: ").append(arch ? "same" : "foreign").append('\n');
    }
    s.append("Priority: optional\nSection: ").append(component.equals("main") ? "" : component + "/")
        .append(shape != null ? shape.section() : SECTIONS[random.nextInt(SECTIONS.length)]).append('\n');
    if (!source.equals(name)) {
      s.append("Source: ").append(source).append('\n');
    }
    s.append("Origin: Ubuntu\nMaintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>\n")
        .append("Original-Maintainer: Debian ").append(source).append(" Maintainers <").append(source)
        .append("@packages.debian.org>\nBugs: https://bugs.launchpad.net/ubuntu/+filebug\n")
        .append("Installed-Size: ").append(shape != null ? shape.installedSizeKib() : 8 + random.nextInt(40_000))
        .append('\n');
    String depends = shape != null ? shape.depends() : depends(i);
    if (!depends.isEmpty()) {
      s.append("Depends: ").append(depends).append('\n');
    }
    if (i >= size.installed() && random.nextInt(3) == 0) {
      s.append("Recommends: ").append(names.get(random.nextInt(names.size()))).append('\n');
    }
    s.append("Filename: pool/").append(component).append('/').append(source.charAt(0)).append('/').append(source)
        .append('/').append(name).append('_').append(version.replace(":", "%3a")).append('_')
        .append(arch ? "amd64" : "all").append(".deb\n")
        .append("Size: ").append(1000 + random.nextInt(5_000_000)).append('\n');
    s.append("MD5sum: ");
    hex(s, 32);
    s.append("\nSHA1: ");
    hex(s, 40);
    s.append("\nSHA256: ");
    hex(s, 64);
    s.append("\nSHA512: ");
    hex(s, 128);
    s.append("\nHomepage: https://").append(source).append(".example.org/\n");
    description(s, name);
    s.append("Description-md5: ");
    hex(s, 32);
    s.append("\n\n");
    out.append(s);
  }

  /**
   * Installed packages depend only on installed packages before them, with constraints their installed (and
   * updated) versions meet. The others depend mostly on installed ones (the base libraries), sometimes with an
   * alternative, and now and then on one other uninstalled package just before them: every dependency can be met,
   * and what one install pulls in stays a short chain, as on a real host.
   */
  private String depends(int i) {
    int count = random.nextInt(6);
    StringBuilder d = new StringBuilder();
    int bound = Math.min(i, size.installed());
    for (int k = 0; k < count && bound > 0; k++) {
      int target = random.nextInt(bound);
      separator(d).append(names.get(target));
      if (random.nextBoolean()) {
        d.append(" (>= ").append(versions.get(target)).append(')');
      }
      if (i >= size.installed() && random.nextInt(6) == 0) {
        d.append(" | ").append(names.get(random.nextInt(names.size())));
      }
    }
    if (i > size.installed() && random.nextInt(3) == 0) {
      int target = i - 1 - random.nextInt(Math.min(50, i - size.installed()));
      separator(d).append(names.get(target)).append(" (>= ").append(versions.get(target)).append(')');
    }
    return d.toString();
  }

  private static StringBuilder separator(StringBuilder d) {
    return d.isEmpty() ? d : d.append(", ");
  }

  /**
   * dpkg's record of the installed packages, with the architecture, size and dependencies their copy in the lists
   * has: apt hashes those fields, and a difference would make it see another version of the same number.
   */
  private void writeStatus(Path status) throws IOException {
    try (Writer out = new BufferedWriter(Files.newBufferedWriter(status, StandardCharsets.UTF_8), 1 << 16)) {
      for (int i = 0; i < size.installed(); i++) {
        Installed shape = installedShape.get(i);
        String name = names.get(i);
        StringBuilder s = new StringBuilder(800);
        s.append("Package: ").append(name).append("\nStatus: install ok installed\nPriority: optional\n")
            .append("Section: ").append(shape.section()).append('\n')
            .append("Installed-Size: ").append(shape.installedSizeKib()).append('\n')
            .append("Maintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>\n")
            .append("Architecture: ").append(shape.architectureAll() ? "all" : "amd64").append('\n')
            .append("Version: ").append(versions.get(i)).append('\n');
        if (!shape.depends().isEmpty()) {
          s.append("Depends: ").append(shape.depends()).append('\n');
        }
        s.append("Description: ").append(name).append(" as installed\n")
            .append(" The installed copy of a generated package, shaped like a real one.\n")
            .append("Homepage: https://").append(source(name)).append(".example.org/\n\n");
        out.append(s);
      }
    }
  }

  private void description(StringBuilder s, String name) {
    s.append("Description: ").append(name).append(" - ");
    words(s, 3 + random.nextInt(6));
    s.append('\n');
    int lines = 2 + random.nextInt(8);
    for (int l = 0; l < lines; l++) {
      s.append(' ');
      words(s, 8 + random.nextInt(6));
      s.append('\n');
      if (l == 2 && random.nextBoolean()) {
        s.append(" .\n");
      }
    }
  }

  private void words(StringBuilder s, int count) {
    for (int w = 0; w < count; w++) {
      if (w > 0) {
        s.append(' ');
      }
      s.append(WORDS[random.nextInt(WORDS.length)]);
    }
  }

  private void hex(StringBuilder s, int digits) {
    for (int i = 0; i < digits; i += 16) {
      long bits = random.nextLong();
      for (int k = 0; k < 16 && i + k < digits; k++) {
        s.append(HEX[(int) (bits >>> (4 * k)) & 0xF]);
      }
    }
  }

  private final Set<String> taken = new HashSet<>();

  private String uniqueName(int i) {
    StringBuilder name = new StringBuilder(STEMS[random.nextInt(STEMS.length)]);
    int syllables = 2 + random.nextInt(3);
    for (int k = 0; k < syllables; k++) {
      name.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
    }
    name.append(SUFFIXES[random.nextInt(SUFFIXES.length)]);
    String candidate = name.toString();
    if (!taken.add(candidate)) {
      candidate = candidate + "-" + i;
      taken.add(candidate);
    }
    return candidate;
  }

  /** The source a binary package is built from: its name without the usual binary suffixes. */
  private static String source(String name) {
    String source = name.replaceFirst("(-dev|-doc|-common|-data|-utils|-bin|-tools|-perl|-dbg|-plugins)$", "");
    return source.length() < 2 ? name : source;
  }

  private String version() {
    StringBuilder v = new StringBuilder();
    if (random.nextInt(20) == 0) {
      v.append(1 + random.nextInt(3)).append(':');
    }
    v.append(random.nextInt(12)).append('.').append(random.nextInt(30));
    if (random.nextBoolean()) {
      v.append('.').append(random.nextInt(100));
    }
    if (random.nextInt(8) == 0) {
      v.append("~rc").append(1 + random.nextInt(3));
    }
    v.append('-').append(1 + random.nextInt(5));
    if (random.nextBoolean()) {
      v.append("ubuntu").append(1 + random.nextInt(3));
    } else if (random.nextInt(3) == 0) {
      v.append("build").append(1 + random.nextInt(4));
    }
    return v.toString();
  }
}
