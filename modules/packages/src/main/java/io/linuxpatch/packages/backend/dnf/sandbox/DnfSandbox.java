package io.linuxpatch.packages.backend.dnf.sandbox;

import io.linuxpatch.packages.sandbox.HostRootGuard;
import io.linuxpatch.packages.sandbox.SandboxConfig;
import io.linuxpatch.packages.sandbox.SandboxCommandException;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dnf installroot with a local repository that real dnf and rpm work on without touching the host
 * (PKG-5, OPS-3): what {@code linux-patch-api dev --backend dnf} and the dnf tests run on. Under
 * {@code DIR/sandbox}:
 *
 * <pre>
 *   root/      the installroot: rpm database root/var/lib/rpm (sqlite), dnf's cache, history, logs and lock
 *   repo/      the local repository: the {@link DnfDemoPackages} and sandbox-sh, built here with rpmbuild,
 *              createrepo_c metadata and the demo advisory as updateinfo
 *   dnf/       dnf.conf, repos.d/, plugins/versionlock.conf, vars/ and the versionlock list (host paths that
 *              dnf reads as given, outside the root)
 *   home/      HOME for dnf, rpm and rpmbuild: its .rpmmacros sets %_dbpath /var/lib/rpm (Debian's rpm
 *              otherwise keeps the database in ~/.rpmdb of whoever runs it)
 *   build/     rpmbuild's specs, staged files and scratch space
 * </pre>
 *
 * <p>Isolation, as the shared notes proved it: {@code --config} keeps dnf off the host's {@code /etc/dnf/dnf.conf}
 * (whose {@code gpgcheck=True} refuses the unsigned demo packages), {@code --releasever} saves dnf from
 * detecting one, {@code reposdir}/{@code pluginconfpath}/{@code varsdir} point into the sandbox, and
 * {@code --disableplugin=*} followed by {@code --enableplugin=versionlock} loads only the versionlock plugin
 * (enable patterns win over disable ones in dnf 4.14's plugin loader), which reads its configuration and lock
 * list from the sandbox. Cache, log and persist directories always get the installroot prepended.
 *
 * <p>{@link #create} is reused like apt's {@code DemoSandbox}: a second call finds the marker file and
 * leaves the sandbox in whatever state it was brought to.
 */
public final class DnfSandbox {

  /** Written last: its presence means the repository is published and the initial set is installed. */
  public static final String MARKER = ".dnf-sandbox-ready";
  public static final Path DNF = Path.of("/usr/bin/dnf");
  public static final Path RPM = Path.of("/usr/bin/rpm");
  /** The sandbox is no distribution release; dnf only needs a value instead of detecting one. */
  public static final String RELEASEVER = "1";

  private static final Logger LOG = LoggerFactory.getLogger(DnfSandbox.class);
  /** An install on a loaded 2-core machine takes well under a second; this is a stuck run. */
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final Path directory;
  private final Path root;
  private final ProcessRunner runner;
  private final DnfRepository repository;
  private final RpmBuilder builder;
  private final boolean reused;

  private DnfSandbox(Path directory, ProcessRunner runner, boolean reused) {
    this.directory = directory;
    this.root = directory.resolve("root");
    this.runner = runner;
    this.repository = new DnfRepository(directory.resolve("repo"), directory.resolve("build"), runner);
    this.builder = new RpmBuilder(directory.resolve("build"), home(), runner);
    this.reused = reused;
  }

  /** {@link #create(Path, ProcessRunner)} with this host's process runner. */
  public static DnfSandbox create(Path dir) {
    return create(dir, ProcessRunner.create());
  }

  /**
   * Creates the sandbox under {@code dir/sandbox}, or reuses it when a previous call completed (the marker
   * exists). A previous call that stopped half-way is completed over what it left, which every step tolerates.
   *
   * @throws IllegalArgumentException when the root would be the host's {@code /} ({@link HostRootGuard}) or the
   *                                  directory holds a character dnf's configuration cannot carry
   * @throws SandboxCommandException  when rpmbuild, createrepo_c or dnf fails (e.g. not run as root)
   */
  public static DnfSandbox create(Path dir, ProcessRunner runner) {
    Path directory = SandboxPaths.requirePlain(dir.toAbsolutePath().normalize().resolve("sandbox"));
    HostRootGuard.requireSandboxRoot(directory.resolve("root"));
    if (Files.isRegularFile(directory.resolve(MARKER))) {
      LOG.info("Reusing the dnf sandbox at {}; delete that directory to start from the initial state", directory);
      return new DnfSandbox(directory, runner, true);
    }
    long started = System.nanoTime();
    DnfSandbox sandbox = new DnfSandbox(directory, runner, false);
    sandbox.writeConfiguration();
    List<RpmSpec> packages = new ArrayList<>();
    packages.add(SandboxShell.spec(runner));
    packages.addAll(DnfDemoPackages.catalogue());
    for (RpmSpec spec : packages) {
      sandbox.repository.add(sandbox.builder.build(spec, directory.resolve("build/rpms")));
    }
    sandbox.repository.publish(DnfDemoPackages.advisories());
    List<String> install = new ArrayList<>(List.of("-y", "install", "--"));
    install.addAll(DnfDemoPackages.INITIALLY_INSTALLED);
    sandbox.runChecked(sandbox.dnf(install));
    writeMarker(directory.resolve(MARKER));
    LOG.info("Created the dnf sandbox at {} in {} ms", directory, (System.nanoTime() - started) / 1_000_000);
    return sandbox;
  }

  /** {@code DIR/sandbox}. */
  public Path directory() {
    return directory;
  }

  /** The installroot: {@code package_manager.root}. */
  public Path root() {
    return root;
  }

  /** The local repository's directory. */
  public Path repository() {
    return repository.directory();
  }

  /** HOME for dnf, rpm and rpmbuild. */
  public Path home() {
    return directory.resolve("home");
  }

  /** The file {@code --config} names. */
  public Path configFile() {
    return directory.resolve("dnf/dnf.conf");
  }

  public Path reposDirectory() {
    return directory.resolve("dnf/repos.d");
  }

  public Path pluginConfDirectory() {
    return directory.resolve("dnf/plugins");
  }

  public Path varsDirectory() {
    return directory.resolve("dnf/vars");
  }

  /** The versionlock plugin's lock list (holds). */
  public Path versionLockList() {
    return directory.resolve("dnf/versionlock.list");
  }

  /** rpm's database directory inside the root. */
  public Path rpmDatabase() {
    return root.resolve("var/lib/rpm");
  }

  /** Whether {@link #create} found a complete sandbox and left it as it was. */
  public boolean reused() {
    return reused;
  }

  /**
   * The options every dnf call on the sandbox needs, before the command ({@code package_manager.options}).
   * {@code --setopt=reposdir} repeats dnf.conf's value on purpose: it is the one that decides which
   * repositories exist, and the shared notes proved it on the command line.
   */
  public List<String> dnfOptions() {
    return List.of("--installroot=" + root, "--config=" + configFile(), "--releasever=" + RELEASEVER,
        "--setopt=reposdir=" + reposDirectory(), "--disableplugin=*", "--enableplugin=versionlock");
  }

  /**
   * The environment every dnf, rpm and rpmbuild child needs besides the runner's fixed one
   * ({@code package_manager.env}): HOME, whose .rpmmacros puts the rpm database in the root.
   * The runner's {@code LC_ALL=C} keeps dnf's texts untranslated.
   */
  /** What an agent configuration needs to run dnf on this sandbox (advisories come from the repository). */
  public SandboxConfig config() {
    return new SandboxConfig("dnf", root(), environment(), dnfOptions(), null, reused());
  }

  public Map<String, String> environment() {
    return Map.of("HOME", home().toString());
  }

  /** The options every direct rpm call needs: the root and, regardless of HOME, the database path in it. */
  public List<String> rpmOptions() {
    return List.of("--root=" + root, "--dbpath=/var/lib/rpm");
  }

  /** {@code dnf OPTIONS ARGS} as a process spec with the sandbox's environment (10 min timeout). */
  public ProcessSpec dnf(List<String> arguments) {
    List<String> argv = new ArrayList<>();
    argv.add(DNF.toString());
    argv.addAll(dnfOptions());
    argv.addAll(arguments);
    return ProcessSpec.of(argv).withExtraEnv(environment()).withTimeout(TIMEOUT);
  }

  public ProcessSpec dnf(String... arguments) {
    return dnf(Arrays.asList(arguments));
  }

  /** {@code rpm OPTIONS ARGS} as a process spec with the sandbox's environment. */
  public ProcessSpec rpm(String... arguments) {
    List<String> argv = new ArrayList<>();
    argv.add(RPM.toString());
    argv.addAll(rpmOptions());
    argv.addAll(Arrays.asList(arguments));
    return ProcessSpec.of(argv).withExtraEnv(environment()).withTimeout(TIMEOUT);
  }

  /**
   * Builds more packages into the repository (e.g. one whose {@code %post} or {@code %pre} fails, see
   * {@link DnfDemoPackages#failingScriptlet}), republishes it keeping the advisories, and refreshes dnf's cache
   * so that cache-only ({@code -C}) queries see them too. Blocking.
   *
   * @return the built files
   */
  public List<Path> addPackages(RpmSpec... specs) {
    List<Path> built = new ArrayList<>();
    for (RpmSpec spec : specs) {
      built.add(repository.add(builder.build(spec, directory.resolve("build/rpms"))));
    }
    repository.republish();
    runChecked(dnf("makecache"));
    return built;
  }

  /**
   * Replaces the repository's advisories with {@code advisories} (the demo one is dropped unless it is among
   * them) and refreshes dnf's cache: for tests of advisory parsing. Blocking.
   */
  public void publishAdvisories(List<UpdateAdvisory> advisories) {
    repository.publish(advisories);
    runChecked(dnf("makecache"));
  }

  @Override
  public String toString() {
    return "DnfSandbox[" + directory + "]";
  }

  private ProcessResult runChecked(ProcessSpec spec) {
    return SandboxCommandException.requireSuccess(spec, runner.run(spec));
  }

  private void writeConfiguration() {
    try {
      for (Path dir : List.of(root, home(), reposDirectory(), pluginConfDirectory(), varsDirectory(),
          repository.directory())) {
        Files.createDirectories(dir);
      }
      writeAtomically(home().resolve(".rpmmacros"), "%_dbpath /var/lib/rpm\n");
      writeAtomically(configFile(), "# Written by linux-patch-api: confines dnf to the sandbox installroot " + root
          + " (PKG-5).\n"
          + "[main]\n"
          + "gpgcheck=0\n"
          + "repo_gpgcheck=0\n"
          + "localpkg_gpgcheck=0\n"
          + "installonly_limit=3\n"
          // downloaded packages stay in the root's cache, where a rollback finds old versions
          + "keepcache=True\n"
          + "reposdir=" + reposDirectory() + "\n"
          + "pluginconfpath=" + pluginConfDirectory() + "\n"
          + "varsdir=" + varsDirectory() + "\n");
      writeAtomically(reposDirectory().resolve(DnfDemoPackages.REPOSITORY_ID + ".repo"),
          "[" + DnfDemoPackages.REPOSITORY_ID + "]\n"
              + "name=linux-patch-api demo repository\n"
              + "baseurl=" + repository.baseUrl() + "\n"
              + "gpgcheck=0\n"
              + "repo_gpgcheck=0\n"
              // a local directory: checking it on every non-cached call costs a stat, and sees added packages
              + "metadata_expire=0\n");
      writeAtomically(pluginConfDirectory().resolve("versionlock.conf"),
          "[main]\nenabled=1\nlocklist=" + versionLockList() + "\n");
      try {
        Files.createFile(versionLockList());
      } catch (FileAlreadyExistsException e) {
        // the developer's holds: keep them
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lay out the dnf sandbox " + directory, e);
    }
  }

  private static void writeAtomically(Path file, String content) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".new");
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeMarker(Path marker) {
    try {
      writeAtomically(marker, "linux-patch-api dnf sandbox: repository published, initial set installed\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot mark the dnf sandbox complete at " + marker, e);
    }
  }
}
