package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent as a package installs it (OPS-1, OPS-4): the .deb installed into a sandbox root, then everything run
 * through the installed launcher, {@code R/usr/bin/linux-patch-api}, from the installed files, with a configuration
 * and certificates this test makes: the agent answers /health, every subcommand works, systemd is told READY and
 * STOPPING, the start-up archive is built and used on each Java of this machine, and the installed unit passes
 * {@code systemd-analyze verify}.
 */
@Tag("OPS-1")
@Tag("OPS-4")
@DisplayName("OPS-1/OPS-4: the installed launcher and unit")
class InstalledAgentTest {

  @TempDir
  static Path dir;

  private static InstallRoot root;
  private static AgentUnderTest setup;
  private static Path launcher;

  @BeforeAll
  static void install() throws Exception {
    assumeTrue(ExternalCommand.available("dpkg"), "dpkg is needed to install the .deb (Debian/Ubuntu)");
    assumeTrue("root".equals(System.getProperty("user.name")),
        "dpkg --root writes files owned by root: the packaging tests run as root (CI does)");
    PackageBuild.Packages packages = PackageBuild.current();
    root = InstallRoot.forDpkg(dir.resolve("root"));
    ExternalCommand.run(List.of("dpkg", "--root=" + root.dir, "--log=" + root.resolve("/var/log/dpkg.log"),
        "--force-script-chrootless", "--force-depends", "-i", packages.deb().toString()), Duration.ofMinutes(2))
        .succeeded();
    launcher = root.resolve("/usr/bin/linux-patch-api");
    setup = new AgentUnderTest(dir.resolve("agent"));
    setup.writeConfig(AgentUnderTest.TEST_CLIENT_ADMIN);
    setup.pki.client.writeTo(setup.dir.resolve("certs/client.pem"), setup.dir.resolve("certs/client.key.pem"));
  }

  @AfterAll
  static void close() {
    if (setup != null) {
      setup.close();
    }
  }

  @Test
  @DisplayName("the installed launcher runs the installed jar with the installed jvm.options and the agent answers "
      + "/health")
  void runsTheInstalledAgent() throws Exception {
    try (ChildAgent agent = ChildAgent.launch(setup, List.of(launcher.toString(), "--config",
        setup.configFile.toString()), javaHome(currentJavaHome()))) {
      JsonObject health = agent.send("GET", "/health", null);
      assertThat(health.getInteger("_status")).as(health.encode()).isEqualTo(200);
      assertThat(health.getJsonObject("data").getString("version")).isEqualTo(
          System.getProperty("lpa.project.version", "0.1.0-SNAPSHOT"));
      assertThat(agent.commandLine())
          .contains("@" + root.resolve("/usr/share/linux-patch-api/jvm.options"))
          .contains("-jar " + root.resolve("/usr/share/linux-patch-api/linux-patch-api.jar"))
          .contains("--config " + setup.configFile);
      assertThat(agent.stop()).as("a SIGTERM stops it").isTrue();
    }
  }

  @Test
  @DisplayName("every subcommand works through the launcher: --version, --check-config, watch, fleet, audit verify, events")
  void subcommandsWorkThroughTheLauncher() throws Exception {
    assertThat(launch("--version").succeeded().output())
        .contains("linux-patch-api " + System.getProperty("lpa.project.version", "0.1.0-SNAPSHOT"));
    assertThat(launch("--config", setup.configFile.toString(), "--check-config").exitCode()).isZero();
    Path broken = dir.resolve("no-certificates.yaml");
    Files.writeString(broken, Files.readString(setup.configFile).replace(setup.pki.dir.resolve("server.pem").toString(),
        dir.resolve("missing.pem").toString()));
    assertThat(launch("--config", broken.toString(), "--check-config").exitCode()).isEqualTo(1);

    String jobId;
    try (ChildAgent agent = ChildAgent.launch(setup, List.of(launcher.toString(), "--config",
        setup.configFile.toString()), javaHome(currentJavaHome()))) {
      JsonObject reboot = agent.send("POST", "/api/v1/system/reboot", "{\"delay_seconds\": 0}");
      assertThat(reboot.getInteger("_status")).as(reboot.encode()).isEqualTo(202);
      jobId = reboot.getJsonObject("data").getString("job_id");
      Path certs = setup.dir.resolve("certs");
      ExternalCommand watch = launch("watch", "--url", "https://127.0.0.1:" + setup.port,
          "--cert", certs.resolve("client.pem").toString(), "--key", certs.resolve("client.key.pem").toString(),
          "--ca", setup.pki.caPem().toString(), jobId);
      assertThat(watch.exitCode()).as(watch.output()).isZero();
      assertThat(watch.output()).contains("\"job_complete\"").contains(jobId);
      ExternalCommand fleet = launch("fleet", "status", "--json", "--host", "https://127.0.0.1:" + setup.port,
          "--cert", certs.resolve("client.pem").toString(), "--key", certs.resolve("client.key.pem").toString(),
          "--ca", setup.pki.caPem().toString());
      assertThat(fleet.exitCode()).as("3: the host answered, but its package reads are refused\n" + fleet.output())
          .isEqualTo(3);
      assertThat(fleet.output()).contains("\"reachable\":true").contains("\"error_code\":\"BACKEND_UNAVAILABLE\"");
      assertThat(agent.stop()).isTrue();
    }
    ExternalCommand verify = launch("audit", "verify", setup.dir.resolve("log").toString());
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    ExternalCommand events = launch("events", "--config", setup.configFile.toString());
    assertThat(events.exitCode()).as("clustering is off in this config").isEqualTo(2);
    assertThat(events.output()).contains("cluster.enabled is false");
  }

  @Test
  @DisplayName("--enroll through the launcher: the installed agent registers with a fleet manager and installs the "
      + "certificates it approves")
  void enrollsThroughTheLauncher(@TempDir Path tmp) throws Exception {
    try (EnrollmentSetup enrollment = new EnrollmentSetup(tmp)) {
      enrollment.configure(null, 10);
      enrollment.removeCertificates();
      ExternalCommand run = launch("--config", enrollment.agent.configFile.toString(), "--enroll",
          enrollment.manager.url());
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.output()).contains("enrolled with " + enrollment.manager.url());
      assertThat(enrollment.manager.registrationsSeen()).hasSize(1);
      assertThat(enrollment.certificate()).isRegularFile();
      assertThat(enrollment.key()).isRegularFile();
    }
  }

  @Test
  @DisplayName("Type=notify: with NOTIFY_SOCKET set, the agent sends READY=1 once /health answers and STOPPING=1 on "
      + "SIGTERM")
  void notifiesSystemd() throws Exception {
    assumeTrue(LockHolder.available(), "python3 stands in for systemd's notification socket");
    Path socket = dir.resolve("notify.sock");
    Files.deleteIfExists(socket);
    Process listener = new ProcessBuilder(LockHolder.PYTHON.toString(), "-u", "-c", String.join("\n",
        "import socket, sys",
        "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
        "s.bind(sys.argv[1])",
        "print('listening')",
        "while True:",
        "    print(s.recv(4096).decode().replace('\\n', ' '))"), socket.toString())
        .redirectErrorStream(true).start();
    List<String> received = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(listener.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          received.add(line);
        }
      } catch (java.io.IOException ended) {
        // the listener was stopped
      }
    });
    reader.start();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> received.contains("listening"));
      Map<String, String> env = javaHome(currentJavaHome());
      env.put("NOTIFY_SOCKET", socket.toString());
      try (ChildAgent agent = ChildAgent.launch(setup, List.of(launcher.toString(), "--config",
          setup.configFile.toString()), env)) {
        await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().anyMatch(l -> l.startsWith("READY=1")));
        assertThat(agent.send("GET", "/health", null).getInteger("_status")).isEqualTo(200);
        assertThat(received).noneMatch(l -> l.contains("STOPPING=1"));
        assertThat(agent.stop()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().anyMatch(l -> l.contains("STOPPING=1")));
      }
    } finally {
      listener.destroy();
    }
  }

  /** This JVM's Java (17 in CI) and, where installed, Temurin 25 (/usr/lib/jvm/temurin-25*). */
  static Stream<Path> javaHomes() throws Exception {
    List<Path> homes = new ArrayList<>(List.of(currentJavaHome()));
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> found = Files.list(jvms)) {
        found.filter(p -> p.getFileName().toString().startsWith("temurin-25"))
            .filter(p -> Files.isExecutable(p.resolve("bin/java"))).findFirst().ifPresent(homes::add);
      }
    }
    return homes.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javaHomes")
  @DisplayName("--build-start-archive records the start-up archive for this Java and jar from a training start "
      + "(AppCDS before Java 25, an AOT cache from 25), --if-missing leaves it alone, the JVM accepts it, and the "
      + "agent starts with it")
  void startUpArchive(Path javaHome) throws Exception {
    int feature = featureVersion(javaHome);
    String kind = feature >= 25 ? ".aot" : ".jsa";
    Path cache = root.resolve("/var/cache/linux-patch-api");
    ExternalCommand build = launch(javaHome(javaHome), "--build-start-archive");
    assertThat(build.exitCode()).as(build.output() + readIfExists(cache.resolve("build.log"))).isZero();
    assertThat(build.output()).contains("start-up archive " + cache);
    Path archive;
    try (Stream<Path> files = Files.list(cache)) {
      archive = files.filter(p -> p.getFileName().toString().startsWith("agent-" + feature + ".")
          && p.getFileName().toString().endsWith(kind)).findFirst().orElseThrow();
    }
    FileTime built = Files.getLastModifiedTime(archive);
    ExternalCommand again = launch(javaHome(javaHome), "--build-start-archive", "--if-missing");
    assertThat(again.exitCode()).isZero();
    assertThat(again.output()).as("nothing to do once built").isEmpty();
    assertThat(Files.getLastModifiedTime(archive)).isEqualTo(built);

    // With these the JVM refuses to start rather than run without the archive: it is valid for this Java and jar.
    Map<String, String> strict = javaHome(javaHome);
    strict.put("LINUX_PATCH_API_JAVA_OPTS", feature >= 25 ? "-XX:AOTMode=on" : "-Xshare:on");
    assertThat(launch(strict, "--version").succeeded().output()).contains("Java " + feature);

    try (ChildAgent agent = ChildAgent.launch(setup, List.of(launcher.toString(), "--config",
        setup.configFile.toString()), strict)) {
      assertThat(agent.send("GET", "/health", null).getInteger("_status")).isEqualTo(200);
      assertThat(agent.commandLine()).contains((feature >= 25 ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive);
      assertThat(agent.stop()).isTrue();
    }
  }

  @Test
  @DisplayName("without a Java the launcher says what to install and exits 1")
  void saysWhenThereIsNoJava() throws Exception {
    ExternalCommand run = launch(javaHome(dir.resolve("no-such-java")), "--version");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.output()).contains("no Java found").contains("Java 17 or newer");
  }

  @Test
  @DisplayName("systemd-analyze verify finds nothing to say about the installed unit")
  void unitVerifies(@TempDir Path tmp) throws Exception {
    assumeTrue(ExternalCommand.available("systemd-analyze"), "systemd-analyze (package systemd) is needed");
    assumeTrue(ExternalCommand.available("unshare"), "unshare (util-linux) keeps systemd-analyze off this machine's /run");
    // A root with the installed unit, the launcher it runs and the targets it names (this machine's).
    Path units = Files.createDirectories(tmp.resolve("lib/systemd/system"));
    try (Stream<Path> targets = Files.list(Path.of("/lib/systemd/system"))) {
      for (Path target : targets.filter(p -> p.getFileName().toString().endsWith(".target")).toList()) {
        Files.copy(target, units.resolve(target.getFileName()), java.nio.file.LinkOption.NOFOLLOW_LINKS);
      }
    }
    Files.copy(root.resolve("/lib/systemd/system/linux-patch-api.service"), units.resolve("linux-patch-api.service"));
    Files.createDirectories(tmp.resolve("usr/bin"));
    Files.copy(launcher, tmp.resolve("usr/bin/linux-patch-api"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    HostState host = HostState.capture();
    // In a mount namespace of its own with a fresh /run/systemd: systemd-analyze touches the stamp
    // /run/systemd/systemd-units-load even with --root, and this machine's must stay as it is.
    ExternalCommand verify = ExternalCommand.run(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
        "mount -t tmpfs lpa-verify /run/systemd && exec systemd-analyze verify --root=\"$0\" "
            + "/lib/systemd/system/linux-patch-api.service", tmp.toString()), Duration.ofMinutes(1));
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    assertThat(verify.output()).as("warnings, e.g. an unknown directive, are printed but exit 0").isEmpty();
    assertThat(host.changesUntil(HostState.capture())).isEmpty();
  }

  private static ExternalCommand launch(String... args) throws Exception {
    return launch(javaHome(currentJavaHome()), args);
  }

  private static ExternalCommand launch(Map<String, String> env, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(launcher.toString()));
    argv.addAll(List.of(args));
    return ExternalCommand.run(argv, env, Duration.ofMinutes(3));
  }

  private static Map<String, String> javaHome(Path home) {
    Map<String, String> env = new HashMap<>();
    env.put("JAVA_HOME", home.toString());
    return env;
  }

  private static Path currentJavaHome() {
    return Path.of(System.getProperty("java.home"));
  }

  /** The feature version from the JDK's release file, as the launcher reads it. */
  private static int featureVersion(Path javaHome) throws Exception {
    String version = Files.readAllLines(javaHome.resolve("release")).stream()
        .filter(l -> l.startsWith("JAVA_VERSION=")).findFirst().orElseThrow()
        .replaceAll("^JAVA_VERSION=\"(1\\.)?", "");
    return Integer.parseInt(version.replaceAll("[^0-9].*$", ""));
  }

  private static String readIfExists(Path file) throws Exception {
    return Files.exists(file) ? "\n" + Files.readString(file) : "";
  }
}
