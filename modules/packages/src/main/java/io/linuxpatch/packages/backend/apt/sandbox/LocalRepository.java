package io.linuxpatch.packages.backend.apt.sandbox;

import io.linuxpatch.packages.sandbox.SandboxCommandException;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * An unsigned apt repository in a directory: {@code .deb}s under {@code pool/main/}, and for every suite a
 * {@code dists/<suite>/main/binary-all/Packages} (+ {@code .gz}) and a {@code dists/<suite>/Release}.
 *
 * <p>Each suite lists <em>every</em> version added to it, not just the newest (what
 * {@code dpkg-scanpackages --multiversion} does): older versions must stay installable for downgrade and
 * rollback tests. Add versions with {@link #add}, then publish them with {@link #writeIndices}. One
 * instance is meant for one thread (a test or the developer-mode setup).
 */
public final class LocalRepository {

  /** Asked once for the host architecture, which the Release file names next to {@code all}. */
  public static final Path DPKG = Path.of("/usr/bin/dpkg");
  static final String COMPONENT = "main";

  private static final Duration TIMEOUT = Duration.ofMinutes(1);

  private final Path directory;
  private final String origin;
  private final String label;
  private final Map<String, RepositorySuite> suites = new LinkedHashMap<>();
  private final List<String> architectures;
  private final ProcessRunner runner;
  private final DebBuilder builder;
  private final Clock clock;
  /** Pool file name → entry; suites refer to these so a version added to two suites is stored once. */
  private final Map<String, PoolEntry> pool = new LinkedHashMap<>();
  private final Map<String, Set<String>> suiteContents = new LinkedHashMap<>();

  private LocalRepository(Path directory, String origin, String label, List<RepositorySuite> suites,
      List<String> architectures, ProcessRunner runner, Clock clock) {
    this.directory = directory;
    this.origin = origin;
    this.label = label;
    for (RepositorySuite suite : suites) {
      if (this.suites.put(suite.name(), suite) != null) {
        throw new IllegalArgumentException("suite " + suite.name() + " is given twice");
      }
      suiteContents.put(suite.name(), new LinkedHashSet<>());
    }
    this.architectures = List.copyOf(architectures);
    this.runner = runner;
    this.builder = new DebBuilder(runner);
    this.clock = clock;
  }

  /**
   * Creates (or reopens, empty) the repository directory; nothing is published until {@link #writeIndices}.
   *
   * @param origin the Origin field of every suite's Release, e.g. {@code Demo}
   * @param label  the Label field
   */
  public static LocalRepository create(Path directory, String origin, String label, List<RepositorySuite> suites,
      ProcessRunner runner) {
    return create(directory, origin, label, suites, runner, Clock.systemUTC());
  }

  /** As {@link #create(Path, String, String, List, ProcessRunner)}, with the clock that dates the Release files. */
  public static LocalRepository create(Path directory, String origin, String label, List<RepositorySuite> suites,
      ProcessRunner runner, Clock clock) {
    Objects.requireNonNull(runner, "runner");
    Objects.requireNonNull(clock, "clock");
    requireReleaseWord("origin", origin);
    requireReleaseWord("label", label);
    if (suites.isEmpty()) {
      throw new IllegalArgumentException("a repository needs at least one suite");
    }
    Path dir = SandboxRoot.requireAptSafe(directory.toAbsolutePath().normalize());
    try {
      Files.createDirectories(dir.resolve("pool").resolve(COMPONENT));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the repository at " + dir, e);
    }
    return new LocalRepository(dir, origin, label, suites, List.of("all", hostArchitecture(runner)), runner, clock);
  }

  public Path directory() {
    return directory;
  }

  public String origin() {
    return origin;
  }

  public String label() {
    return label;
  }

  public List<RepositorySuite> suites() {
    return List.copyOf(suites.values());
  }

  /** What every Release names: {@code all} and the host's architecture, e.g. {@code [all, amd64]}. */
  public List<String> architectures() {
    return architectures;
  }

  /** Builds {@code pkg} into the pool and adds that version to {@code suite}; returns the .deb's path. */
  public Path add(String suite, DebPackage pkg) {
    return add(suite, pkg, Map.of());
  }

  /**
   * As {@link #add(String, DebPackage)}, with fields the index lists for this version but the .deb does not
   * carry, as an archive adds them: e.g. {@code Phased-Update-Percentage: 0} to publish a phased update.
   *
   * @throws IllegalArgumentException when a field is not one line or repeats a control or computed field
   */
  public Path add(String suite, DebPackage pkg, Map<String, String> indexFields) {
    requireSuite(suite);
    Path deb = builder.build(pkg, poolDirectory());
    record(suite, deb, controlOf(deb), indexFields);
    return deb;
  }

  /**
   * Adds an existing .deb to {@code suite}, copying it into the pool under its canonical name. Adding a
   * version that is already in the pool replaces the file and its entry in every suite that lists it.
   */
  public PoolEntry add(String suite, Path deb) {
    return add(suite, deb, Map.of());
  }

  /** As {@link #add(String, Path)}, with extra index fields as in {@link #add(String, DebPackage, Map)}. */
  public PoolEntry add(String suite, Path deb, Map<String, String> indexFields) {
    requireSuite(suite);
    String control = controlOf(deb);
    String name = field(control, "Package", deb);
    String version = field(control, "Version", deb);
    String arch = field(control, "Architecture", deb);
    int colon = version.indexOf(':');
    Path target = poolDirectory().resolve(name + "_" + (colon < 0 ? version : version.substring(colon + 1))
        + "_" + arch + ".deb");
    try {
      if (!Files.exists(target) || !Files.isSameFile(deb, target)) {
        Files.copy(deb, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + deb + " into the pool of " + directory, e);
    }
    return record(suite, target, control, indexFields);
  }

  /** The versions {@code suite} lists, by package name and then in the order they were added. */
  public List<PoolEntry> entries(String suite) {
    requireSuite(suite);
    List<PoolEntry> out = new ArrayList<>();
    for (String file : suiteContents.get(suite)) {
      out.add(pool.get(file));
    }
    // A stable sort keeps the versions of one package in the order they were added.
    out.sort(Comparator.comparing(PoolEntry::name));
    return out;
  }

  /**
   * (Re)writes every suite's Packages, Packages.gz and Release. Each file is written under a temporary name
   * and moved into place, so an {@code apt-get update} running meanwhile sees old or new, never half; the
   * Release is written last because it carries the checksums of the indices.
   */
  public void writeIndices() {
    for (RepositorySuite suite : suites.values()) {
      Path dists = directory.resolve("dists").resolve(suite.name());
      String indexDir = COMPONENT + "/binary-all";
      StringBuilder packages = new StringBuilder();
      for (PoolEntry entry : entries(suite.name())) {
        packages.append(entry.stanza());
      }
      byte[] plain = packages.toString().getBytes(StandardCharsets.UTF_8);
      Path packagesFile = dists.resolve(indexDir).resolve("Packages");
      writeAtomically(packagesFile, plain);
      writeAtomically(dists.resolve(indexDir).resolve("Packages.gz"), gzip(plain));
      Map<String, FileDigest> indices = new LinkedHashMap<>();
      indices.put(indexDir + "/Packages", FileDigest.of(packagesFile));
      indices.put(indexDir + "/Packages.gz", FileDigest.of(dists.resolve(indexDir).resolve("Packages.gz")));
      ReleaseFile release = new ReleaseFile(origin, label, suite, architectures, List.of(COMPONENT),
          clock.instant(), indices);
      writeAtomically(releaseFile(suite.name()), release.render().getBytes(StandardCharsets.UTF_8));
    }
  }

  public Path packagesFile(String suite) {
    requireSuite(suite);
    return directory.resolve("dists").resolve(suite).resolve(COMPONENT).resolve("binary-all").resolve("Packages");
  }

  public Path releaseFile(String suite) {
    requireSuite(suite);
    return directory.resolve("dists").resolve(suite).resolve("Release");
  }

  private Path poolDirectory() {
    return directory.resolve("pool").resolve(COMPONENT);
  }

  private PoolEntry record(String suite, Path debInPool, String control, Map<String, String> indexFields) {
    String filename = directory.relativize(debInPool).toString();
    PoolEntry entry = new PoolEntry(field(control, "Package", debInPool), field(control, "Version", debInPool),
        control, filename, FileDigest.of(debInPool), indexFields);
    pool.put(filename, entry);
    suiteContents.get(suite).add(filename);
    return entry;
  }

  private String controlOf(Path deb) {
    ProcessSpec spec = ProcessSpec.of(DebBuilder.DPKG_DEB.toString(), "--field", deb.toAbsolutePath().toString())
        .withTimeout(TIMEOUT);
    return SandboxCommandException.requireSuccess(spec, runner.run(spec)).stdout().text();
  }

  private static String field(String control, String name, Path deb) {
    String prefix = name + ":";
    for (String line : control.split("\n")) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).strip();
      }
    }
    throw new IllegalArgumentException(deb + " has no " + name + " field in its control file");
  }

  private static String hostArchitecture(ProcessRunner runner) {
    ProcessSpec spec = ProcessSpec.of(DPKG.toString(), "--print-architecture").withTimeout(TIMEOUT);
    return SandboxCommandException.requireSuccess(spec, runner.run(spec)).stdout().text().strip();
  }

  private void requireSuite(String suite) {
    if (!suites.containsKey(suite)) {
      throw new IllegalArgumentException("the repository has no suite \"" + suite + "\"; it has " + suites.keySet());
    }
  }

  private static void requireReleaseWord(String what, String value) {
    if (value == null || value.isBlank() || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("the Release " + what + " must be one non-empty line, got \"" + value + "\"");
    }
  }

  private static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeAtomically(Path file, byte[] content) {
    try {
      Files.createDirectories(file.getParent());
      Path temp = file.resolveSibling(file.getFileName() + ".new");
      Files.write(temp, content);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
