package io.linuxpatch.packages.backend.pacman.sandbox;

import io.linuxpatch.packages.sandbox.HostRootGuard;
import io.linuxpatch.packages.sandbox.SandboxConfig;
import io.linuxpatch.packages.sandbox.SandboxCommandException;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory that real pacman treats as a machine (PKG-5): under the sandbox directory a root whose
 * {@code etc/pacman.conf} keeps every path pacman writes inside the sandbox ({@code RootDir}, {@code DBPath},
 * {@code CacheDir}, {@code LogFile}, {@code GPGDir}, {@code HookDir}; with only {@code --root}, pacman would
 * use the host's cache, keyring and hooks), {@code SigLevel = Never} for the unsigned local repository, and
 * {@code CheckSpace} (without it a full disk leaves a package recorded as installed that is not). Every
 * pacman child then needs only {@link #pacmanOptions()}: that list is what an agent configuration carries as
 * {@code package_manager.options}; {@link #environment()} is empty because pacman reads no path from the
 * environment.
 *
 * <p>{@link #createDemo} builds the developer-mode catalogue ({@link PacmanDemoPackages}) into a local
 * repository with {@code repo-add}, from packages it builds itself ({@link PacmanPackageBuilder}) plus
 * {@code sandbox-sh} ({@link ScriptletShell}) so that install scriptlets run; it installs the initial set with
 * real {@code pacman -S} and then publishes the updates. A second call finds the marker file and reuses the
 * sandbox as it is. The root refuses to be the host's {@code /} ({@link HostRootGuard}) and its database to be
 * the host's {@code /var/lib/pacman}. pacman needs root for every transaction.
 */
public final class PacmanSandbox {

  public static final Path PACMAN = Path.of("/usr/bin/pacman");

  /** Written last: its presence means the repository is published and the initial set installed. */
  public static final String MARKER = ".pacman-sandbox-ready";

  private static final Logger LOG = LoggerFactory.getLogger(PacmanSandbox.class);
  private static final Path HOST_PACMAN_DATABASE = Path.of("/var/lib/pacman");
  /** Characters pacman.conf cannot carry in a value: '#' starts a comment anywhere, whitespace is trimmed. */
  private static final Pattern CONF_UNSAFE = Pattern.compile("[\\s#\"'\\\\%]|\\p{Cntrl}");
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final int STICKY_WORLD_WRITABLE = 01777;

  private final Path directory;
  private final Path root;
  private final PacmanRepository repository;
  private final ProcessRunner runner;
  private final boolean reused;
  private final long creationMillis;

  private PacmanSandbox(Path directory, ProcessRunner runner, boolean reused, long creationMillis) {
    this.directory = directory;
    this.root = directory.resolve("root");
    this.runner = runner;
    this.repository = new PacmanRepository(directory.resolve("repo"), PacmanDemoPackages.REPOSITORY,
        directory.resolve("tmp"), runner);
    this.reused = reused;
    this.creationMillis = creationMillis;
  }

  /** {@link #createDemo(Path, ProcessRunner)} with this host's process runner. */
  public static PacmanSandbox createDemo(Path directory) {
    return createDemo(directory, ProcessRunner.create());
  }

  /**
   * Creates the demo sandbox in {@code directory} (the directory itself, not a child of it), or reuses it when
   * a previous call completed (the marker file exists): the sandbox then keeps whatever state it was brought to.
   * A call that stopped half-way is completed over what it left, which every step tolerates.
   *
   * @throws IllegalArgumentException when the directory is or resolves to the host root, or holds characters
   *                                  pacman.conf cannot carry
   * @throws SandboxCommandException  when bsdtar, repo-add or pacman fails (e.g. not run as root)
   */
  public static PacmanSandbox createDemo(Path directory, ProcessRunner runner) {
    Path dir = checkedDirectory(directory);
    Path marker = dir.resolve(MARKER);
    if (Files.isRegularFile(marker)) {
      LOG.info("Reusing the pacman sandbox at {}; delete that directory to start from the initial state", dir);
      return new PacmanSandbox(dir, runner, true, 0);
    }
    long started = System.nanoTime();
    PacmanSandbox sandbox = new PacmanSandbox(dir, runner, false, 0);
    sandbox.layOut();
    List<PacmanPackageSpec> first = new ArrayList<>();
    first.add(ScriptletShell.fromHost(runner));
    first.addAll(PacmanDemoPackages.initialRelease());
    sandbox.publish(first);
    sandbox.install(PacmanDemoPackages.INITIALLY_INSTALLED.toArray(String[]::new));
    sandbox.publish(PacmanDemoPackages.updates());
    writeAtomically(sandbox.trackerFeed(), PacmanDemoPackages.trackerFeed());
    writeAtomically(marker, "linux-patch-api pacman sandbox: repository published, initial set installed\n");
    long millis = (System.nanoTime() - started) / 1_000_000;
    LOG.info("Created the pacman sandbox at {} in {} ms", dir, millis);
    return new PacmanSandbox(dir, runner, false, Math.max(millis, 1));
  }

  /**
   * An empty sandbox in {@code directory}: the layout and pacman.conf, no repository database and no packages
   * yet (publish some with {@link #publish}). For tests that need a catalogue of their own.
   */
  public static PacmanSandbox empty(Path directory, ProcessRunner runner) {
    PacmanSandbox sandbox = new PacmanSandbox(checkedDirectory(directory), runner, false, 0);
    sandbox.layOut();
    return sandbox;
  }

  /**
   * Builds the packages, adds them to the repository (replacing the versions of the same names) and refreshes
   * the sandbox's sync database with {@code pacman -Syy} (two "y": {@code -Sy} compares whole-second
   * modification times and would skip a database rewritten within the same second).
   */
  public void publish(List<PacmanPackageSpec> packages) {
    PacmanPackageBuilder builder = new PacmanPackageBuilder(directory.resolve("build"), runner);
    List<Path> files = new ArrayList<>();
    for (PacmanPackageSpec spec : packages) {
      files.add(builder.build(spec, repository.directory()));
    }
    repository.add(files);
    requireSuccess(pacman("--noconfirm", "-Syy"));
  }

  /**
   * Installs packages from the repository with real {@code pacman -S --noconfirm -- NAMES}.
   *
   * @throws SandboxCommandException when pacman fails
   */
  public ProcessResult install(String... names) {
    List<String> args = new ArrayList<>(List.of("--noconfirm", "-S", "--"));
    for (String name : names) {
      if (name == null || name.isEmpty() || name.startsWith("-")) {
        throw new IllegalArgumentException("not a package name: \"" + name + "\"");
      }
      args.add(name);
    }
    return requireSuccess(pacman(args.toArray(String[]::new)));
  }

  /**
   * Runs {@code pacman --config <this sandbox's pacman.conf> ARGS} and returns what happened, whatever the exit
   * status (tests capture real output this way). The arguments are the caller's own, never a client's.
   */
  public ProcessResult pacman(String... args) {
    List<String> argv = new ArrayList<>(List.of(PACMAN.toString()));
    argv.addAll(pacmanOptions());
    argv.addAll(List.of(args));
    return runner.run(ProcessSpec.of(argv).withExtraEnv(environment()).withTimeout(TIMEOUT));
  }

  /** The options every pacman child needs: {@code --config <root>/etc/pacman.conf}. */
  public List<String> pacmanOptions() {
    return List.of("--config", configFile().toString());
  }

  /** The environment pacman needs on top of the fixed one: nothing (every path is in pacman.conf). */
  /** What an agent configuration needs to run pacman on this sandbox, with the demo Arch tracker feed. */
  public SandboxConfig config() {
    return new SandboxConfig("pacman", root(), environment(), pacmanOptions(), trackerFeed(), reused());
  }

  public Map<String, String> environment() {
    return Map.of();
  }

  /** The sandbox directory: root, repository, build and tmp directories, the demo tracker feed. */
  public Path directory() {
    return directory;
  }

  /** The root pacman installs into ({@code RootDir}): {@code package_manager.root}. */
  public Path root() {
    return root;
  }

  public Path configFile() {
    return root.resolve("etc/pacman.conf");
  }

  public Path dbPath() {
    return root.resolve("var/lib/pacman");
  }

  /** {@code DBPath/db.lck}: exists while a pacman transaction holds the database. */
  public Path lockFile() {
    return dbPath().resolve("db.lck");
  }

  public Path cacheDirectory() {
    return root.resolve("var/cache/pacman/pkg");
  }

  public Path logFile() {
    return root.resolve("var/log/pacman.log");
  }

  public PacmanRepository repository() {
    return repository;
  }

  /** The demo Arch security tracker feed ({@code all.json} format): {@code patches.advisory_feed}. */
  public Path trackerFeed() {
    return directory.resolve("arch-security.json");
  }

  /** Whether an existing, complete sandbox was found and left as it was. */
  public boolean reused() {
    return reused;
  }

  /** How long creating the demo sandbox took, in milliseconds; 0 when it was reused or is not the demo. */
  public long creationMillis() {
    return creationMillis;
  }

  @Override
  public String toString() {
    return "PacmanSandbox[" + directory + "]";
  }

  private void layOut() {
    try {
      if (Files.exists(dbPath())) {
        requireNotHostDatabase(dbPath());
      }
      for (Path dir : List.of(dbPath(), cacheDirectory(), root.resolve("var/log"), root.resolve("etc/pacman.d/gnupg"),
          root.resolve("etc/pacman.d/hooks"), root.resolve("tmp"), directory.resolve("tmp"), repository.directory())) {
        Files.createDirectories(dir);
      }
      // scriptlets run chrooted and create their temporary directory here, like /tmp
      Files.setAttribute(root.resolve("tmp"), "unix:mode", STICKY_WORLD_WRITABLE);
      requireNotHostDatabase(dbPath());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lay out the pacman sandbox " + directory, e);
    }
    writeAtomically(configFile(), configText());
  }

  private String configText() {
    return "# Written by linux-patch-api: confines pacman to the sandbox " + directory + " (PKG-5).\n"
        + "[options]\n"
        + "RootDir = " + root + "/\n"
        + "DBPath = " + dbPath() + "/\n"
        + "CacheDir = " + cacheDirectory() + "/\n"
        + "LogFile = " + logFile() + "\n"
        + "GPGDir = " + root.resolve("etc/pacman.d/gnupg") + "/\n"
        + "HookDir = " + root.resolve("etc/pacman.d/hooks") + "/\n"
        + "Architecture = auto\n"
        // the local repository is unsigned; nothing else is configured
        + "SigLevel = Never\n"
        // without it, a full disk leaves a package recorded as installed whose files are missing
        + "CheckSpace\n"
        + "\n"
        + "[" + repository.name() + "]\n"
        + "Server = " + repository.serverUrl() + "\n";
  }

  private ProcessResult requireSuccess(ProcessResult result) {
    if (!result.succeeded()) {
      List<String> argv = new ArrayList<>(List.of(PACMAN.toString()));
      argv.addAll(pacmanOptions());
      throw new SandboxCommandException(argv, result);
    }
    return result;
  }

  private static Path checkedDirectory(Path directory) {
    Objects.requireNonNull(directory, "directory");
    Path dir = HostRootGuard.requireSandboxRoot(directory);
    // the root below it must not be the host's either (a bind mount of / at DIR/root)
    HostRootGuard.requireSandboxRoot(dir.resolve("root"));
    if (CONF_UNSAFE.matcher(dir.toString()).find()) {
      throw new IllegalArgumentException("\"" + dir + "\" holds whitespace, a quote, '#', '%' or another character "
          + "that pacman.conf cannot carry; choose a plainer directory");
    }
    return dir;
  }

  private static void requireNotHostDatabase(Path dbPath) throws IOException {
    if (Files.exists(HOST_PACMAN_DATABASE) && Files.isSameFile(dbPath, HOST_PACMAN_DATABASE)) {
      throw new IllegalArgumentException("refusing " + dbPath + " as a sandbox database: it is the host's "
          + HOST_PACMAN_DATABASE);
    }
  }

  private static void writeAtomically(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Path temp = file.resolveSibling(file.getFileName() + ".new");
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
