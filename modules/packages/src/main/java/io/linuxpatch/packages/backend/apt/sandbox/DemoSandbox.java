package io.linuxpatch.packages.backend.apt.sandbox;

import io.linuxpatch.packages.sandbox.SandboxConfig;
import io.linuxpatch.process.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox {@code linux-patch-api dev} works on (OPS-3): under {@code DIR/sandbox} a local repository
 * with suites {@code stable} and {@code stable-security} holding the {@link DemoPackages}, and a sandbox root
 * where the initial set is installed with real apt. The record carries what the agent configuration needs.
 *
 * @param directory      {@code DIR/sandbox}
 * @param root           the sandbox root: {@code package_manager.root}
 * @param repository     the local repository's directory
 * @param aptEnvironment {@code package_manager.env} (APT_CONFIG, TMPDIR)
 * @param dpkgOptions    {@code package_manager.options} (dpkg's --root, --admindir, --log, …)
 * @param reused         whether an existing, complete sandbox was found and left as it was
 */
public record DemoSandbox(Path directory, Path root, Path repository, Map<String, String> aptEnvironment,
    List<String> dpkgOptions, boolean reused) {

  /** Written last: its presence means the repository is published and the initial set is installed. */
  public static final String MARKER = ".demo-sandbox-ready";

  private static final Logger LOG = LoggerFactory.getLogger(DemoSandbox.class);

  public DemoSandbox {
    aptEnvironment = Map.copyOf(aptEnvironment);
    dpkgOptions = List.copyOf(dpkgOptions);
  }

  /** {@link #create(Path, ProcessRunner)} with this host's process runner. */
  public static DemoSandbox create(Path dir) {
    return create(dir, ProcessRunner.create());
  }

  /**
   * Creates the demo sandbox under {@code dir/sandbox}, or reuses it when a previous call completed (the
   * marker file exists): the sandbox then keeps whatever state the developer brought it to. A previous
   * call that stopped half-way is completed over what it left, which every step tolerates.
   *
   * @throws SandboxCommandException when dpkg-deb or apt-get fails (e.g. not run as root)
   */
  public static DemoSandbox create(Path dir, ProcessRunner runner) {
    Path directory = dir.toAbsolutePath().normalize().resolve("sandbox");
    SandboxRoot sandbox = SandboxRoot.at(directory.resolve("root"), runner);
    Path repositoryDir = directory.resolve("repo");
    Path marker = directory.resolve(MARKER);
    if (Files.isRegularFile(marker)) {
      LOG.info("Reusing the demo sandbox at {}; delete that directory to start from the initial state", directory);
      return describe(directory, sandbox, repositoryDir, true);
    }
    long started = System.nanoTime();
    sandbox.create();
    LocalRepository repository = LocalRepository.create(repositoryDir, DemoPackages.ORIGIN, DemoPackages.LABEL,
        List.of(DemoPackages.STABLE, DemoPackages.STABLE_SECURITY), runner);
    for (DemoPackages.Placement placement : DemoPackages.placements()) {
      repository.add(placement.suite(), placement.pkg());
    }
    repository.writeIndices();
    sandbox.useRepository(repository);
    sandbox.aptUpdate();
    sandbox.install(DemoPackages.INITIALLY_INSTALLED.toArray(String[]::new));
    writeDemoFeed(directory);
    writeMarker(marker);
    LOG.info("Created the demo sandbox at {} in {} ms", directory, (System.nanoTime() - started) / 1_000_000);
    return describe(directory, sandbox, repository.directory(), false);
  }

  /**
   * The demo's Debian security tracker feed (written with the sandbox): demo-ssl's source fixed in 1.0+deb1 for
   * CVE-2026-0001 with urgency high, so that developer mode shows a CVE and a severity on apt as it does on dnf
   * (updateinfo) and pacman (the Arch tracker).
   */
  public Path advisoryFeed() {
    return directory.resolve(DEMO_FEED);
  }

  /** What an agent configuration needs to run apt on this sandbox. */
  public SandboxConfig config() {
    return new SandboxConfig("apt", root, aptEnvironment, dpkgOptions, advisoryFeed(), reused);
  }

  private static final String DEMO_FEED = "debian-security-tracker.json";

  private static void writeDemoFeed(Path directory) {
    try {
      Files.writeString(directory.resolve(DEMO_FEED), """
          {"demo-ssl-src": {"CVE-2026-0001": {"description": "demo flaw in the demo TLS library", "scope": "remote",
            "releases": {"stable": {"status": "resolved", "fixed_version": "1.0+deb1", "urgency": "high",
              "repositories": {"stable": "1.0", "stable-security": "1.0+deb1"}}}}}}
          """, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo advisory feed under " + directory, e);
    }
  }

  private static DemoSandbox describe(Path directory, SandboxRoot sandbox, Path repository, boolean reused) {
    return new DemoSandbox(directory, sandbox.root(), repository, sandbox.aptEnvironment(), sandbox.dpkgOptions(),
        reused);
  }

  private static void writeMarker(Path marker) {
    try {
      Path temp = marker.resolveSibling(MARKER + ".new");
      Files.writeString(temp, "linux-patch-api demo sandbox: repository published, initial set installed\n",
          StandardCharsets.UTF_8);
      Files.move(temp, marker, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot mark the demo sandbox complete at " + marker, e);
    }
  }
}
