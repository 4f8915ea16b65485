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
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb (OPS-1) as Debian's own tools see it: lintian, dpkg-deb's view of its control data and contents, and a
 * real install, upgrade, removal and purge by dpkg into a sandbox root ({@code --root R --force-script-chrootless}:
 * the maintainer scripts run on this machine with {@code DPKG_ROOT=R}), which must leave this machine's /etc,
 * /var/lib, /var/log and systemd state as they were.
 */
@Tag("OPS-1")
@DisplayName("OPS-1: the .deb")
class DebPackageTest {

  /** The lintian warnings the package keeps on purpose, with the reason; any other warning, or an error, fails. */
  static final Map<String, String> KEPT_LINTIAN_WARNINGS = Map.of(
      "non-standard-dir-perm", "/etc/linux_patch_api/certs and /var/lib/linux_patch_api are 0700 and "
          + "/var/log/linux_patch_api 0750: keys, job state and the audit log are root's alone (OPS-1)",
      "no-manual-page", "the command documents itself (--help) and in the README's Command line section",
      "unknown-java-class-version", "Jackson's multi-release jar carries Java 22 classes under META-INF/versions/22, "
          + "which older Javas never load");

  private static final Pattern LINTIAN_TAG = Pattern.compile("^([EWIPX]): linux-patch-api: (\\S+)", Pattern.MULTILINE);

  private static PackageBuild.Packages current;
  private static PackageBuild.Packages previous;

  @BeforeAll
  static void buildPackages() throws Exception {
    assumeTrue(ExternalCommand.available("dpkg") && ExternalCommand.available("dpkg-deb"),
        "dpkg and dpkg-deb are needed (Debian/Ubuntu; .ci/run has them)");
    assumeTrue("root".equals(System.getProperty("user.name")),
        "dpkg --root writes files owned by root and runs maintainer scripts: the packaging tests run as root (CI does)");
    current = PackageBuild.current();
    previous = PackageBuild.previous();
  }

  @Test
  @DisplayName("lintian reports no error, and no warning but those kept on purpose (each with its reason)")
  void lintianFindsNoError() throws Exception {
    assumeTrue(ExternalCommand.available("lintian"), "lintian is needed (.ci/run installs it with apt-get)");
    ExternalCommand lintian = ExternalCommand.run(List.of("lintian", "--tag-display-limit", "0",
        current.deb().toString()), Duration.ofMinutes(3));
    Map<String, List<String>> byLevel = new HashMap<>();
    Matcher tag = LINTIAN_TAG.matcher(lintian.output());
    while (tag.find()) {
      byLevel.computeIfAbsent(tag.group(1), level -> new ArrayList<>()).add(tag.group(2));
    }
    assertThat(byLevel.getOrDefault("E", List.of())).as(lintian.output()).isEmpty();
    assertThat(new TreeSet<>(byLevel.getOrDefault("W", List.of()))).as(lintian.output())
        .isSubsetOf(KEPT_LINTIAN_WARNINGS.keySet());
    // Exit code 1 means errors (or a failure of lintian itself); warnings alone exit 0 (lintian 2.116).
    assertThat(lintian.exitCode()).as(lintian.output()).isZero();
  }

  @Test
  @DisplayName("control data: the name, this checkout's version, architecture all, a headless Java 17+ by Debian's "
      + "names, and config.yaml and whitelist.yaml as conffiles")
  void controlData() throws Exception {
    String fields = ExternalCommand.run(List.of("dpkg-deb", "-f", current.deb().toString(), "Package", "Version",
        "Architecture", "Depends"), Duration.ofSeconds(30)).succeeded().output();
    assertThat(fields).contains("Package: linux-patch-api\n")
        .contains("Version: " + PackageBuild.currentVersion() + "\n")
        .contains("Architecture: all\n")
        .contains("Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless, init-system-helpers");
    String conffiles = ExternalCommand.run(List.of("dpkg-deb", "-I", current.deb().toString(), "conffiles"),
        Duration.ofSeconds(30)).succeeded().output();
    assertThat(conffiles.lines().toList())
        .containsExactly("/etc/linux_patch_api/config.yaml", "/etc/linux_patch_api/whitelist.yaml");
  }

  @Test
  @DisplayName("contents: the jar and jvm.options in /usr/share/linux-patch-api, the launcher, the unit in "
      + "/lib/systemd/system, the configuration, root-only directories for keys, state and logs; all owned by root")
  void contents() throws Exception {
    Map<String, String> entries = new HashMap<>();
    for (String line : ExternalCommand.run(List.of("dpkg-deb", "-c", current.deb().toString()), Duration.ofSeconds(30))
        .succeeded().output().lines().toList()) {
      String[] f = line.trim().split("\\s+");
      // drwx------ root/root 0 2026-12-03 06:09 ./etc/linux_patch_api/certs/
      entries.put(f[5].substring(1).replaceAll("/$", ""), f[0] + " " + f[1] + " " + f[2]);
    }
    assertThat(entries.values()).allMatch(e -> e.split(" ")[1].equals("root/root"));
    assertThat(entries).containsEntry("/usr/share/linux-patch-api/linux-patch-api.jar",
            "-rw-r--r-- root/root " + Files.size(PackageBuild.AGENT_JAR))
        .containsEntry("/usr/share/linux-patch-api/jvm.options",
            "-rw-r--r-- root/root " + Files.size(PackageBuild.CHECKOUT.resolve("conf/jvm.options")))
        .containsEntry("/lib/systemd/system/linux-patch-api.service",
            "-rw-r--r-- root/root " + Files.size(PackageBuild.CHECKOUT.resolve("conf/linux-patch-api.service")))
        .containsEntry("/etc/linux_patch_api/config.yaml",
            "-rw-r--r-- root/root " + Files.size(PackageBuild.CHECKOUT.resolve("conf/config.yaml")))
        .containsEntry("/etc/linux_patch_api/whitelist.yaml",
            "-rw-r--r-- root/root " + Files.size(PackageBuild.CHECKOUT.resolve("conf/whitelist.yaml")))
        .containsEntry("/etc/linux_patch_api/certs", "drwx------ root/root 0")
        .containsEntry("/var/lib/linux_patch_api", "drwx------ root/root 0")
        .containsEntry("/var/log/linux_patch_api", "drwxr-x--- root/root 0")
        .containsEntry("/var/cache/linux-patch-api", "drwxr-xr-x root/root 0")
        .containsKeys("/usr/share/doc/linux-patch-api/copyright", "/usr/share/doc/linux-patch-api/changelog.gz");
    assertThat(entries.get("/usr/bin/linux-patch-api")).startsWith("-rwxr-xr-x root/root ");
  }

  @Test
  @DisplayName("dpkg --root installs (enabled, not started, says how to go on), upgrades from the previous build "
      + "keeping the operator's conffile edits, removes keeping configuration and data, purges to nothing; this "
      + "machine's /etc, /var/lib, /var/log and systemd state unchanged, systemd never called")
  void installUpgradeRemovePurge(@TempDir Path tmp) throws Exception {
    HostState host = HostState.capture();
    InstallRoot root = InstallRoot.forDpkg(tmp.resolve("root"));
    Map<String, String> before = root.tree("/var/lib/dpkg", "/var/log/dpkg.log");
    Path systemdCalls = tmp.resolve("systemd-calls.log");
    Path fakes = recordingFakes(tmp.resolve("fake-bin"), systemdCalls, "systemctl", "deb-systemd-invoke");

    ExternalCommand install = dpkg(root, fakes, "-i", previous.deb().toString()).succeeded();
    assertThat(install.output()).as("a fresh install without certificates says how to go on")
        .contains("installed and enabled, but not started").contains("/etc/linux_patch_api/certs/")
        .contains("systemctl start linux-patch-api");
    assertThat(installedVersion(root)).isEqualTo("install ok installed " + PackageBuild.PREVIOUS_VERSION);
    assertThat(root.mode("/etc/linux_patch_api/certs")).isEqualTo("rwx------");
    assertThat(root.mode("/var/lib/linux_patch_api")).isEqualTo("rwx------");
    assertThat(root.mode("/var/log/linux_patch_api")).isEqualTo("rwxr-x---");
    assertThat(root.mode("/usr/bin/linux-patch-api")).isEqualTo("rwxr-xr-x");
    assertThat(root.mode("/usr/share/linux-patch-api/linux-patch-api.jar")).isEqualTo("rw-r--r--");
    assertThat(root.owner("/var/lib/linux_patch_api")).isEqualTo("root:root");
    assertThat(Files.readSymbolicLink(root.resolve("/etc/systemd/system/multi-user.target.wants/linux-patch-api.service")))
        .as("enabled (deb-systemd-helper, under DPKG_ROOT)").isEqualTo(Path.of("/lib/systemd/system/linux-patch-api.service"));

    Path config = root.resolve("/etc/linux_patch_api/config.yaml");
    Path whitelist = root.resolve("/etc/linux_patch_api/whitelist.yaml");
    Files.writeString(config, Files.readString(config) + "# kept across upgrades: an operator's edit\n");
    Files.writeString(whitelist, Files.readString(whitelist) + "  - 192.0.2.10\n");
    String editedConfig = Files.readString(config);
    String editedWhitelist = Files.readString(whitelist);

    ExternalCommand upgrade = dpkg(root, fakes, "-i", current.deb().toString()).succeeded();
    assertThat(upgrade.output()).contains("over (" + PackageBuild.PREVIOUS_VERSION + ")")
        .doesNotContain("not started");
    assertThat(installedVersion(root)).isEqualTo("install ok installed " + PackageBuild.currentVersion());
    assertThat(Files.readString(config)).isEqualTo(editedConfig);
    assertThat(Files.readString(whitelist)).isEqualTo(editedWhitelist);
    assertThat(Files.size(root.resolve("/usr/share/linux-patch-api/linux-patch-api.jar")))
        .isEqualTo(Files.size(PackageBuild.AGENT_JAR));
    assertThat(root.resolve("/etc/linux_patch_api/config.yaml.dpkg-new")).doesNotExist();

    // What a running agent leaves: a certificate, job state, an audit log, a start-up archive.
    Files.writeString(root.resolve("/etc/linux_patch_api/certs/server.pem"), "certificate");
    Files.writeString(root.resolve("/var/lib/linux_patch_api/agent.lock"), "");
    Files.writeString(root.resolve("/var/log/linux_patch_api/audit.jsonl"), "{}\n");
    Files.writeString(root.resolve("/var/cache/linux-patch-api/agent-17.0.0-1-1.jsa"), "archive");

    dpkg(root, fakes, "--remove", "linux-patch-api").succeeded();
    assertThat(root.resolve("/usr/share/linux-patch-api/linux-patch-api.jar")).doesNotExist();
    assertThat(root.resolve("/var/cache/linux-patch-api")).as("the archives go with the jar").doesNotExist();
    assertThat(Files.readString(config)).as("remove keeps the configuration").isEqualTo(editedConfig);
    assertThat(root.resolve("/var/log/linux_patch_api/audit.jsonl")).as("and the audit log").exists();

    dpkg(root, fakes, "--purge", "linux-patch-api").succeeded();
    assertThat(root.tree("/var/lib/dpkg", "/var/log/dpkg.log")).as("purge leaves nothing").isEqualTo(before);
    assertThat(ExternalCommand.run(List.of("dpkg-query", "--admindir=" + root.resolve("/var/lib/dpkg"), "-W",
        "linux-patch-api"), Duration.ofSeconds(30)).exitCode()).isNotZero();

    assertThat(systemdCalls).as("systemctl and deb-systemd-invoke are never called for another root").doesNotExist();
    assertThat(host.changesUntil(HostState.capture())).as("this machine's state").isEmpty();
  }

  @Test
  @DisplayName("maintainer scripts at the real root, systemd running (stand-ins record each call): a fresh install "
      + "starts the agent only when --check-config passes, else says how to go on; an upgrade try-restarts after the "
      + "new files are in place; a removal stops it, an upgrade's prerm does nothing")
  void maintainerScriptsTellSystemd(@TempDir Path tmp) throws Exception {
    assumeTrue(ExternalCommand.available("unshare"), "unshare (util-linux) gives the scripts a /run/systemd of their own");
    HostState host = HostState.capture();
    Path scripts = tmp.resolve("control");
    ExternalCommand.run(List.of("dpkg-deb", "-e", current.deb().toString(), scripts.toString()), Duration.ofSeconds(30))
        .succeeded();
    Path calls = tmp.resolve("calls.log");
    Path fakes = recordingFakes(tmp.resolve("fake-bin"), calls, "systemctl", "deb-systemd-invoke", "deb-systemd-helper");
    // The launcher's stand-in: records its call; --check-config answers as CHECK_CONFIG_EXIT says.
    Files.writeString(fakes.resolve("linux-patch-api"), "#!/bin/sh\necho \"$0 $*\" >> '" + calls + "'\n"
        + "case \"$*\" in *--check-config*) exit \"$CHECK_CONFIG_EXIT\";; esac\nexit 0\n");
    Files.setPosixFilePermissions(fakes.resolve("linux-patch-api"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

    ExternalCommand fresh = script(scripts.resolve("postinst"), fakes, calls, "0", "configure", "");
    assertThat(fresh.output()).doesNotContain("not started");
    assertThat(recorded(calls)).contains("deb-systemd-helper enable linux-patch-api.service",
            "linux-patch-api --build-start-archive", "systemctl --system daemon-reload",
            "linux-patch-api --config /etc/linux_patch_api/config.yaml --check-config",
            "deb-systemd-invoke start linux-patch-api.service")
        .doesNotContain("deb-systemd-invoke try-restart linux-patch-api.service");

    ExternalCommand noCertificates = script(scripts.resolve("postinst"), fakes, calls, "1", "configure", "");
    assertThat(noCertificates.output()).contains("installed and enabled, but not started")
        .contains("linux-patch-api --check-config").contains("systemctl start linux-patch-api");
    assertThat(recorded(calls)).contains("deb-systemd-helper enable linux-patch-api.service")
        .doesNotContain("deb-systemd-invoke start linux-patch-api.service");

    ExternalCommand upgrade = script(scripts.resolve("postinst"), fakes, calls, "1", "configure",
        PackageBuild.PREVIOUS_VERSION);
    assertThat(upgrade.output()).doesNotContain("not started");
    assertThat(recorded(calls)).contains("linux-patch-api --build-start-archive",
            "deb-systemd-invoke try-restart linux-patch-api.service")
        .doesNotContain("deb-systemd-invoke start linux-patch-api.service");

    script(scripts.resolve("prerm"), fakes, calls, "0", "upgrade", PackageBuild.currentVersion());
    assertThat(recorded(calls)).as("the upgrade's restart is the postinst's").isEmpty();
    script(scripts.resolve("prerm"), fakes, calls, "0", "remove");
    assertThat(recorded(calls)).containsExactly("deb-systemd-invoke stop linux-patch-api.service");

    assertThat(host.changesUntil(HostState.capture())).as("this machine's state").isEmpty();
  }

  /**
   * {@code script ARGS} as dpkg runs it at the real root, with the stand-ins first on PATH, in a mount namespace of
   * its own whose /run/systemd is a fresh tmpfs with {@code system/} in it: "systemd is running" for the script, and
   * this machine's /run/systemd untouched. {@code calls} starts empty.
   */
  private static ExternalCommand script(Path script, Path fakes, Path calls, String checkConfigExit,
      String... args) throws Exception {
    Files.deleteIfExists(calls);
    List<String> argv = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
        "mount -t tmpfs lpa-systemd /run/systemd && mkdir /run/systemd/system && exec sh \"$@\"", "sh",
        script.toString()));
    argv.addAll(List.of(args));
    Map<String, String> env = new HashMap<>();
    env.put("PATH", fakes + ":" + System.getenv("PATH"));
    env.put("CHECK_CONFIG_EXIT", checkConfigExit);
    env.put("DPKG_ROOT", null);
    return ExternalCommand.run(argv, env, Duration.ofMinutes(1)).succeeded();
  }

  /** The calls the stand-ins recorded, each without the stand-ins' directory. */
  private static List<String> recorded(Path calls) throws Exception {
    if (!Files.exists(calls)) {
      return List.of();
    }
    return Files.readAllLines(calls).stream().map(l -> l.replaceFirst("^\\S*/", "")).toList();
  }

  /** dpkg on the sandbox root, its log there too (dpkg 1.21 writes the host's /var/log/dpkg.log otherwise). */
  private static ExternalCommand dpkg(InstallRoot root, Path fakes, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("dpkg", "--root=" + root.dir, "--log=" + root.resolve("/var/log/dpkg.log"),
        "--force-script-chrootless", "--force-depends"));
    argv.addAll(List.of(args));
    return ExternalCommand.run(argv, Map.of("PATH", fakes + ":" + System.getenv("PATH")), Duration.ofMinutes(2));
  }

  private static String installedVersion(InstallRoot root) throws Exception {
    return ExternalCommand.run(List.of("dpkg-query", "--admindir=" + root.resolve("/var/lib/dpkg"), "-W",
        "-f=${Status} ${Version}", "linux-patch-api"), Duration.ofSeconds(30)).succeeded().output();
  }

  /** Scripts named {@code tools}, first on PATH, that only record how they were called into {@code log}. */
  static Path recordingFakes(Path dir, Path log, String... tools) throws Exception {
    Files.createDirectories(dir);
    for (String tool : tools) {
      Path fake = dir.resolve(tool);
      Files.writeString(fake, "#!/bin/sh\necho \"$0 $*\" >> '" + log + "'\nexit 0\n");
      Files.setPosixFilePermissions(fake, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return dir;
  }
}
