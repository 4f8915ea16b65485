package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .rpm (OPS-1) as rpm sees it: its files, modes, {@code %config(noreplace)} files and requirements by
 * {@code rpm -qp}, and a real install, upgrade and erase by rpm into an install root ({@code rpm --root R}: the
 * scriptlets run chrooted in R, with the shell and tools {@link InstallRoot} puts there). rpm keeps its database
 * where {@code $HOME/.rpmmacros} says (Debian's rpm follows $HOME, see notes), so every call gets a HOME of its own
 * and this machine's /etc, /var/lib, /var/log, systemd state and ~/.rpmdb stay as they were.
 */
@Tag("OPS-1")
@DisplayName("OPS-1: the .rpm")
class RpmPackageTest {

  private static final String JAVA_REQUIREMENT = "(java-17-headless or java-21-headless or java-25-headless or "
      + "jre-17-headless or jre-21-headless or jre-25-headless)";

  /** Where the systemctl stand-in inside an install root records its calls. */
  private static final String SYSTEMCTL_LOG = "/var/tmp/systemctl-calls.log";

  @TempDir
  static Path queryHome;

  private static PackageBuild.Packages current;
  private static PackageBuild.Packages previous;

  @BeforeAll
  static void buildPackages() throws Exception {
    assumeTrue(ExternalCommand.available("rpm"), "rpm is needed (Debian's rpm package; .ci/run installs it)");
    assumeTrue("root".equals(System.getProperty("user.name")),
        "rpm --root runs scriptlets chrooted: the packaging tests run as root (CI does)");
    current = PackageBuild.current();
    previous = PackageBuild.previous();
    Files.writeString(queryHome.resolve(".rpmmacros"), "%_dbpath " + queryHome.resolve("rpmdb") + "\n");
  }

  @Test
  @DisplayName("rpm -qp: name, version, noarch; files with modes and owners, the unit in /usr/lib/systemd/system; "
      + "config.yaml and whitelist.yaml %config(noreplace); requires a headless Java 17+ and /bin/sh")
  void queriedByRpm() throws Exception {
    assertThat(query("--qf", "%{NAME} %{VERSION} %{RELEASE} %{ARCH}"))
        .isEqualTo("linux-patch-api " + PackageBuild.currentVersion() + " 1 noarch");

    Map<String, String> files = new HashMap<>();
    query("--qf", "[%{FILEMODES:perms} %{FILEUSERNAME}:%{FILEGROUPNAME} %{FILEFLAGS:fflags} %{FILENAMES}\\n]")
        .lines().forEach(line -> {
          String[] f = line.split(" ");
          files.put(f[f.length - 1], String.join(" ", List.of(f).subList(0, f.length - 1)));
        });
    assertThat(files).containsEntry("/usr/share/linux-patch-api/linux-patch-api.jar", "-rw-r--r-- root:root ")
        .containsEntry("/usr/share/linux-patch-api/jvm.options", "-rw-r--r-- root:root ")
        .containsEntry("/usr/bin/linux-patch-api", "-rwxr-xr-x root:root ")
        .containsEntry("/usr/lib/systemd/system/linux-patch-api.service", "-rw-r--r-- root:root ")
        .containsEntry("/etc/linux_patch_api/config.yaml", "-rw-r--r-- root:root cn")
        .containsEntry("/etc/linux_patch_api/whitelist.yaml", "-rw-r--r-- root:root cn")
        .containsEntry("/etc/linux_patch_api/certs", "drwx------ root:root ")
        .containsEntry("/var/lib/linux_patch_api", "drwx------ root:root ")
        .containsEntry("/var/log/linux_patch_api", "drwxr-x--- root:root ")
        .containsEntry("/var/cache/linux-patch-api", "drwxr-xr-x root:root ");
    assertThat(query("-c").lines().toList())
        .containsExactly("/etc/linux_patch_api/config.yaml", "/etc/linux_patch_api/whitelist.yaml");

    assertThat(query("--requires").lines().toList()).contains(JAVA_REQUIREMENT, "/bin/sh",
        "rpmlib(RichDependencies) <= 4.12.0-1");
    assertThat(query("--scripts")).contains("postinstall scriptlet (using /bin/sh)")
        .contains("preuninstall scriptlet (using /bin/sh)").contains("postuninstall scriptlet (using /bin/sh)");
  }

  @Test
  @DisplayName("rpm --root installs (enabled where systemctl is, not started, says how to go on), upgrades from the "
      + "previous build keeping config edits, erases leaving only the edited config as .rpmsave; this machine "
      + "unchanged")
  void installUpgradeErase(@TempDir Path tmp) throws Exception {
    HostState host = HostState.capture();
    InstallRoot root = InstallRoot.forRpm(tmp.resolve("root"));
    Path home = Files.createDirectories(tmp.resolve("home"));
    Files.writeString(home.resolve(".rpmmacros"), "%_dbpath /var/lib/rpm\n");
    Path systemctlCalls = withSystemdStandIn(root);
    Map<String, String> before = root.tree("/var/lib/rpm", SYSTEMCTL_LOG);

    ExternalCommand install = rpm(root, home, "-U", "--nodeps", previous.rpm().toString()).succeeded();
    assertThat(install.output()).as("a fresh install without certificates says how to go on")
        .contains("installed and enabled, but not started").contains("/etc/linux_patch_api/certs/")
        .doesNotContain("scriptlet failed");
    assertThat(drain(systemctlCalls)).as("enabled, not started")
        .contains("--no-reload enable linux-patch-api.service", "daemon-reload")
        .doesNotContain("start linux-patch-api.service");
    assertThat(installed(root, home)).isEqualTo("linux-patch-api-" + PackageBuild.PREVIOUS_VERSION + "-1.noarch");
    assertThat(root.mode("/etc/linux_patch_api/certs")).isEqualTo("rwx------");
    assertThat(root.mode("/var/lib/linux_patch_api")).isEqualTo("rwx------");
    assertThat(root.mode("/var/log/linux_patch_api")).isEqualTo("rwxr-x---");
    assertThat(root.mode("/usr/bin/linux-patch-api")).isEqualTo("rwxr-xr-x");
    assertThat(root.resolve("/usr/lib/systemd/system/linux-patch-api.service")).isRegularFile();
    assertThat(root.owner("/etc/linux_patch_api/certs")).isEqualTo("root:root");

    Path config = root.resolve("/etc/linux_patch_api/config.yaml");
    Files.writeString(config, Files.readString(config) + "# kept across upgrades: an operator's edit\n");
    String edited = Files.readString(config);

    ExternalCommand upgrade = rpm(root, home, "-U", "--nodeps", current.rpm().toString()).succeeded();
    assertThat(upgrade.output()).doesNotContain("not started").doesNotContain("scriptlet failed");
    assertThat(drain(systemctlCalls)).as("a running agent restarts once the new files are in place")
        .contains("try-restart linux-patch-api.service")
        .doesNotContain("start linux-patch-api.service", "--no-reload disable --now linux-patch-api.service");
    assertThat(installed(root, home)).isEqualTo("linux-patch-api-" + PackageBuild.currentVersion() + "-1.noarch");
    assertThat(Files.readString(config)).isEqualTo(edited);
    assertThat(root.resolve("/etc/linux_patch_api/config.yaml.rpmnew")).doesNotExist();
    assertThat(Files.size(root.resolve("/usr/share/linux-patch-api/linux-patch-api.jar")))
        .isEqualTo(Files.size(PackageBuild.AGENT_JAR));

    rpm(root, home, "-e", "linux-patch-api").succeeded();
    assertThat(drain(systemctlCalls)).containsExactly("--no-reload disable --now linux-patch-api.service",
        "daemon-reload");
    Map<String, String> expected = new HashMap<>(before);
    expected.put("/etc/linux_patch_api", "d rwxr-xr-x");
    expected.put("/etc/linux_patch_api/config.yaml.rpmsave",
        "f rw-r--r-- " + edited.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    expected.put("/usr/lib", "d rwxr-xr-x");
    expected.put("/usr/lib/systemd", "d rwxr-xr-x");
    expected.put("/usr/lib/systemd/system", "d rwxr-xr-x");
    assertThat(root.tree("/var/lib/rpm", SYSTEMCTL_LOG)).as("rpm has no purge: only the edited configuration stays, as .rpmsave")
        .isEqualTo(expected);
    assertThat(Files.readString(root.resolve("/etc/linux_patch_api/config.yaml.rpmsave"))).isEqualTo(edited);
    assertThat(rpm(root, home, "-qa").succeeded().output()).doesNotContain("linux-patch-api");

    assertThat(host.changesUntil(HostState.capture())).as("this machine's state").isEmpty();
  }

  @Test
  @DisplayName("a fresh install whose configuration (placed before) names an enrollment manager is started: the "
      + "agent enrolls on its first start")
  void startsWhenEnrollmentIsConfigured(@TempDir Path tmp) throws Exception {
    InstallRoot root = InstallRoot.forRpm(tmp.resolve("root"));
    Path home = Files.createDirectories(tmp.resolve("home"));
    Files.writeString(home.resolve(".rpmmacros"), "%_dbpath /var/lib/rpm\n");
    Path systemctlCalls = withSystemdStandIn(root);
    Path config = Files.createDirectories(root.resolve("/etc/linux_patch_api")).resolve("config.yaml");
    String enrolling = Files.readString(PackageBuild.CHECKOUT.resolve("conf/config.yaml"))
        .replace("  # manager_url: https://fleet.example.internal", "  manager_url: https://fleet.example.internal");
    assertThat(enrolling).contains("\n  manager_url: https://fleet.example.internal");
    Files.writeString(config, enrolling);

    ExternalCommand install = rpm(root, home, "-U", "--nodeps", current.rpm().toString()).succeeded();
    assertThat(install.output()).doesNotContain("not started").doesNotContain("scriptlet failed");
    assertThat(drain(systemctlCalls)).contains("--no-reload enable linux-patch-api.service",
        "start linux-patch-api.service");
    assertThat(Files.readString(config)).as("the operator's file stays; the package's is config.yaml.rpmnew")
        .isEqualTo(enrolling);
  }

  /**
   * systemd "running" inside the root, where rpm runs the scriptlets chrooted: /run/systemd/system, and a
   * {@code /usr/bin/systemctl} that only records its arguments; returns where they go (one line per call).
   */
  private static Path withSystemdStandIn(InstallRoot root) throws Exception {
    Files.createDirectories(root.resolve("/run/systemd/system"));
    Path systemctl = root.resolve("/usr/bin/systemctl");
    Files.writeString(systemctl, "#!/bin/sh\necho \"$*\" >> " + SYSTEMCTL_LOG + "\n");
    Files.setPosixFilePermissions(systemctl, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    return root.resolve(SYSTEMCTL_LOG);
  }

  /** The calls recorded since the last drain, then an empty record. */
  private static List<String> drain(Path calls) throws Exception {
    if (!Files.exists(calls)) {
      return List.of();
    }
    List<String> lines = Files.readAllLines(calls);
    Files.delete(calls);
    return lines;
  }

  /** {@code rpm -qp ARGS} of the current .rpm, trimmed; a database of its own, never ~/.rpmdb. */
  private static String query(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("rpm", "-qp"));
    argv.addAll(List.of(args));
    argv.add(current.rpm().toString());
    return ExternalCommand.run(argv, Map.of("HOME", queryHome.toString()), Duration.ofSeconds(60)).succeeded()
        .output().strip();
  }

  private static ExternalCommand rpm(InstallRoot root, Path home, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("rpm", "--root", root.dir.toString(), "--dbpath", "/var/lib/rpm"));
    argv.addAll(List.of(args));
    return ExternalCommand.run(argv, Map.of("HOME", home.toString()), Duration.ofMinutes(2));
  }

  private static String installed(InstallRoot root, Path home) throws Exception {
    return rpm(root, home, "-q", "linux-patch-api").succeeded().output().strip();
  }
}
