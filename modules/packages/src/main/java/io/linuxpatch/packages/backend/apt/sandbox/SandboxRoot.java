package io.linuxpatch.packages.backend.apt.sandbox;

import io.linuxpatch.packages.backend.apt.AptPaths;
import io.linuxpatch.packages.sandbox.SandboxCommandException;
import io.linuxpatch.packages.sandbox.HostRootGuard;

import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A directory that real apt and dpkg treat as the root of a machine, so that tests and the developer mode
 * install, upgrade and remove packages for real without touching the host (PKG-5).
 *
 * <p>{@link #create()} lays out what apt and dpkg expect and writes an apt configuration file; every apt
 * child then needs only {@link #aptEnvironment()} ({@code APT_CONFIG}, {@code TMPDIR}) and every direct dpkg
 * call {@link #dpkgOptions()}. Those two values are what an agent configuration carries as
 * {@code package_manager.env} and {@code package_manager.options}. The root refuses to be the host's
 * {@code /} ({@link HostRootGuard}).
 */
public final class SandboxRoot {

  public static final Path APT_GET = Path.of("/usr/bin/apt-get");

  /** Install, update and dpkg runs on a loaded 2-core machine take well under a second; this is a stuck run. */
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  /** Characters that would end a quoted apt.conf value or a sources.list word, or start a comment. */
  private static final Pattern APT_UNSAFE = Pattern.compile("[\\s\"';{}\\[\\]#\\\\]|\\p{Cntrl}");

  /** What {@link #install} passes to apt: a package name with an optional {@code =version}. */
  private static final Pattern INSTALL_ARGUMENT =
      Pattern.compile("[a-z0-9][a-z0-9+.-]{1,127}(=[A-Za-z0-9][A-Za-z0-9.+~:_-]{0,255})?");

  private static final Pattern MACHINE_ID = Pattern.compile("[0-9a-f]{32}");

  /** Mode 1777, like /tmp: everyone may create files, only their owner may remove them. */
  private static final int STICKY_WORLD_WRITABLE = 01777;

  private final Path root;
  private final ProcessRunner runner;

  private SandboxRoot(Path root, ProcessRunner runner) {
    this.root = root;
    this.runner = runner;
  }

  /**
   * A sandbox root at {@code root}; nothing is written until {@link #create()}.
   *
   * @throws IllegalArgumentException when {@code root} is or resolves to the host root {@code /}, or holds a
   *                                  character that cannot be written into apt's configuration
   */
  public static SandboxRoot at(Path root, ProcessRunner runner) {
    Objects.requireNonNull(runner, "runner");
    return new SandboxRoot(requireAptSafe(HostRootGuard.requireSandboxRoot(root)), runner);
  }

  /**
   * Creates the directories apt and dpkg expect, an empty package database (an existing one is kept) and
   * the apt configuration file. Safe to call again on an existing sandbox.
   */
  public SandboxRoot create() {
    try {
      for (String dir : List.of("etc/apt/apt.conf.d", "etc/apt/preferences.d", "etc/apt/sources.list.d",
          "etc/apt/trusted.gpg.d", "etc/apt/keyrings", "var/lib/apt/lists/partial",
          "var/cache/apt/archives/partial", "var/log/apt", "var/lib/dpkg/info", "var/lib/dpkg/updates",
          "var/lib/dpkg/triggers", "var/lib/dpkg/alternatives", "tmp")) {
        Files.createDirectories(root.resolve(dir));
      }
      // apt's download methods and maintainer scripts create temporary files here, as any user, like /tmp.
      // PosixFilePermission has no sticky bit; the JDK's "unix" attribute view sets the full mode with chmod.
      Files.setAttribute(tmpDirectory(), "unix:mode", STICKY_WORLD_WRITABLE);
      createIfAbsent(statusFile());
      createIfAbsent(root.resolve("var/lib/dpkg/available"));
      writeAtomically(aptConfigFile(), aptConfigText());
      if (!Files.exists(sourcesList())) {
        writeAtomically(sourcesList(), "");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lay out the sandbox root " + root, e);
    }
    return this;
  }

  /**
   * Points apt at every suite of {@code repository} (component {@code main}) through {@code copy:} sources,
   * replacing the sandbox's sources.list. {@code copy:} rather than {@code file:} because only {@code copy:}
   * leaves the downloaded .debs in {@code var/cache/apt/archives}, where rollback finds old versions.
   * {@code [trusted=yes]} because the repository is unsigned and local; nothing else is trusted that way.
   */
  public SandboxRoot useRepository(LocalRepository repository) {
    StringBuilder text = new StringBuilder("# Written by linux-patch-api: the sandbox's only package source.\n");
    for (RepositorySuite suite : repository.suites()) {
      text.append("deb [trusted=yes] copy:").append(repository.directory()).append(' ').append(suite.name())
          .append(' ').append(LocalRepository.COMPONENT).append('\n');
    }
    writeAtomically(sourcesList(), text.toString());
    return this;
  }

  /**
   * Gives the sandbox an {@code etc/machine-id}, or removes it when {@code id} is null. apt seeds its
   * phased-update lottery with the machine id and reads it from {@code Dir::Etc/../machine-id}, that is below
   * the sandbox root, not the host's; without one (and without {@code APT::Machine-ID}) apt applies no
   * phasing and installs every phased update. A fixed id makes apt's choice repeatable.
   *
   * @param id 32 lowercase hex digits, as systemd writes it
   */
  public SandboxRoot machineId(String id) {
    Path file = root.resolve("etc/machine-id");
    if (id == null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove " + file, e);
      }
      return this;
    }
    if (!MACHINE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a machine id is 32 lowercase hex digits, got \"" + id + "\"");
    }
    writeAtomically(file, id + "\n");
    return this;
  }

  public Path root() {
    return root;
  }

  /** dpkg's status file inside the sandbox: the sandbox's installed-package database. */
  public Path statusFile() {
    return new AptPaths(root).statusFile();
  }

  /** The file {@code APT_CONFIG} names; outside {@code etc/apt/apt.conf} so apt does not read it twice. */
  public Path aptConfigFile() {
    return root.resolve("etc/apt/lpa-sandbox.conf");
  }

  public Path sourcesList() {
    return root.resolve("etc/apt/sources.list");
  }

  public Path tmpDirectory() {
    return root.resolve("tmp");
  }

  /**
   * The environment every apt child needs. {@code APT_CONFIG} is the only way to isolate apt: with
   * {@code -o Dir=…} on the command line apt has already read the host's {@code /etc/apt/apt.conf.d}.
   */
  public Map<String, String> aptEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("APT_CONFIG", aptConfigFile().toString());
    env.put("TMPDIR", tmpDirectory().toString());
    return env;
  }

  /**
   * The options every direct dpkg call needs (recovery with {@code dpkg --configure -a} included).
   * {@code --log} because {@code --root} alone still appends to the host's {@code /var/log/dpkg.log};
   * {@code --force-script-chrootless} so that direct dpkg runs and apt agree (see the apt configuration text).
   */
  public List<String> dpkgOptions() {
    List<String> options = new ArrayList<>();
    options.add("--root=" + root);
    options.add("--admindir=" + new AptPaths(root).adminDir());
    options.add("--log=" + root.resolve("var/log/dpkg.log"));
    options.add("--force-script-chrootless");
    return List.copyOf(options);
  }

  /**
   * Runs {@code apt-get update} on the sandbox; {@code --error-on=any} so that an index apt could not fetch
   * fails the call instead of leaving a silently empty candidate list.
   */
  public ProcessResult aptUpdate() {
    return apt(List.of(APT_GET.toString(), "--error-on=any", "update"));
  }

  /**
   * Installs packages with real {@code apt-get -y install} on the sandbox, to set up an initial state.
   *
   * @param packages names, each optionally with {@code =version} (e.g. {@code demo-tool=1.0})
   * @throws IllegalArgumentException when an argument is not a plain package name (apt would read a leading
   *                                  {@code -} as an option and a trailing {@code -} as "remove")
   * @throws SandboxCommandException  when apt-get fails
   */
  public ProcessResult install(String... packages) {
    if (packages.length == 0) {
      throw new IllegalArgumentException("name at least one package to install");
    }
    List<String> argv = new ArrayList<>(List.of(APT_GET.toString(), "-y", "install", "--"));
    for (String p : packages) {
      if (p == null || !INSTALL_ARGUMENT.matcher(p).matches() || p.endsWith("-")) {
        throw new IllegalArgumentException("not a package to install: \"" + p + "\"");
      }
      argv.add(p);
    }
    return apt(argv);
  }

  @Override
  public String toString() {
    return "SandboxRoot[" + root + "]";
  }

  /** Returns {@code path} when it can be written unquoted into sources.list and quoted into apt.conf. */
  static Path requireAptSafe(Path path) {
    if (APT_UNSAFE.matcher(path.toString()).find()) {
      throw new IllegalArgumentException("\"" + path + "\" holds whitespace, a quote or another character that "
          + "apt's configuration and sources.list cannot carry; choose a plainer directory");
    }
    return path;
  }

  private ProcessResult apt(List<String> argv) {
    ProcessSpec spec = ProcessSpec.of(argv).withExtraEnv(aptEnvironment()).withTimeout(TIMEOUT);
    return SandboxCommandException.requireSuccess(spec, runner.run(spec));
  }

  /**
   * The apt configuration that confines apt, and through {@code DPkg::Options} dpkg, to the root.
   *
   * <p>Maintainer scripts: dpkg with {@code --root} normally chroots into the root to run them, which would
   * need a shell, libc and the loader copied into every sandbox, tied to the host's library layout. We use
   * {@code --force-script-chrootless} instead: scripts run with the host's {@code /bin/sh} and tools and
   * find the sandbox in {@code DPKG_ROOT}. The cost is that a script ignoring {@code DPKG_ROOT} would write
   * to the host; the sandbox only ever installs packages {@link DebBuilder} made, whose scripts are ours
   * and written against {@code "$DPKG_ROOT"}.
   */
  private String aptConfigText() {
    StringBuilder dpkg = new StringBuilder();
    for (String option : dpkgOptions()) {
      dpkg.append(" \"").append(option).append("\";");
    }
    return "// Written by linux-patch-api: confines apt and dpkg to the sandbox root " + root + " (PKG-5).\n"
        + "Dir \"" + root + "/\";\n"
        + "Dir::State::status \"" + statusFile() + "\";\n"
        + "DPkg::Options {" + dpkg + " };\n"
        // The root may sit below a 0700 directory (a JUnit @TempDir, a developer's home) that apt's _apt
        // download user cannot enter; the copy: method only reads our own repository, so it may run as root.
        + "APT::Sandbox::User \"root\";\n"
        // No Translation-* indices exist in a local repository: asking for them only adds noise.
        + "Acquire::Languages \"none\";\n"
        // Plain line output instead of a pseudo-terminal progress bar: the output is parsed and logged.
        + "Dpkg::Use-Pty \"false\";\n";
  }

  private static void createIfAbsent(Path file) throws IOException {
    try {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      // An existing package database is the sandbox's state: keep it.
    }
  }

  private static void writeAtomically(Path file, String content) {
    try {
      Path temp = file.resolveSibling(file.getFileName() + ".new");
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
