package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.apt.sandbox.DebPackage;
import io.linuxpatch.packages.backend.apt.sandbox.DemoSandbox;
import io.linuxpatch.packages.backend.apt.sandbox.LocalRepository;
import io.linuxpatch.packages.backend.apt.sandbox.RepositorySuite;
import io.linuxpatch.packages.sandbox.SandboxConfig;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** apt's demo sandbox for the contract suite: dpkg-query, apt-get -s and dpkg's status file are the truth. */
final class AptFixture implements BackendFixture {

  private static final ProcessRunner RUNNER = ProcessRunner.create();
  private DemoSandbox sandbox;
  private LocalRepository extra;

  @Override
  public String name() {
    return "apt";
  }

  @Override
  public String missing() {
    return Files.isExecutable(Path.of("/usr/bin/apt-get")) && Files.isExecutable(Path.of("/usr/bin/dpkg-deb"))
        ? null : "apt-get and dpkg-deb are needed (Debian/Ubuntu)";
  }

  @Override
  public SandboxConfig create(Path dir) {
    sandbox = DemoSandbox.create(dir);
    return sandbox.config();
  }

  @Override
  public Map<String, String> installed() {
    Map<String, String> installed = new TreeMap<>();
    String out = run(List.of("/usr/bin/dpkg-query", "--admindir=" + sandbox.root().resolve("var/lib/dpkg"), "-W",
        "-f=${db:Status-Abbrev}|${Package}|${Version}\n"));
    for (String line : out.lines().toList()) {
      String[] fields = line.split("\\|", -1);
      if (fields[0].startsWith("ii") || fields[0].startsWith("hi")) {
        installed.put(fields[1], fields[2]);
      }
    }
    return installed;
  }

  @Override
  public List<String> simulatedInstall(String name) {
    return apt(List.of("-s", "-q", "install", "--", name)).lines().filter(l -> l.startsWith("Inst "))
        .map(l -> l.split(" ")[1]).sorted().toList();
  }

  @Override
  public List<Path> databaseFiles() {
    return List.of(sandbox.root().resolve("var/lib/dpkg/status"));
  }

  @Override
  public String toolUpdate() {
    return "1.1";
  }

  @Override
  public String sslUpdate() {
    return "1.0+deb1";
  }

  @Override
  public String toolInstalled() {
    return "1.0";
  }

  @Override
  public AutoCloseable holdLock() throws Exception {
    return LockHolder.hold(sandbox.root());
  }

  @Override
  public void addFailingScriptlet(String name) {
    // Fails the first time only, so that a repair job can then finish its configuration.
    String marker = "\"$DPKG_ROOT/var/lib/" + name + "-failed\"";
    publish(DebPackage.of(name, "1.0", "fails to configure once\nIts first postinst exits 1.").withPostinst(
        "if [ ! -e " + marker + " ]; then touch " + marker + "; exit 1; fi\n"));
  }

  @Override
  public void addSlowScriptlet(String name, int seconds) {
    // Sleeps the first time only: the repair after a cancel configures it again, and must not sleep again.
    String marker = "\"$DPKG_ROOT/var/lib/" + name + "-slept\"";
    publish(DebPackage.of(name, "1.0", "slow to configure\nIts postinst sleeps once.").withPostinst(
        "if [ ! -e " + marker + " ]; then touch " + marker + "; sleep " + seconds + "; fi\n"));
  }

  /** Into a second repository the sandbox also lists (the demo's own stays as developer mode made it). */
  private void publish(DebPackage pkg) {
    publish("extra", pkg);
  }

  /**
   * A new version of an installed package into the extra repository's {@code extra-security} suite: a security
   * update by apt's classification (a suite ending in -security), e.g. one whose postinst fails.
   */
  void publishSecurityUpdate(DebPackage pkg) {
    publish("extra-security", pkg);
  }

  private void publish(String suite, DebPackage pkg) {
    try {
      if (extra == null) {
        extra = LocalRepository.create(sandbox.directory().resolve("extra-repo"), "Extra", "Extra",
            List.of(new RepositorySuite("extra", "extra", "1.0"),
                new RepositorySuite("extra-security", "extra-security", "1.0")), RUNNER);
        Files.writeString(sandbox.root().resolve("etc/apt/sources.list.d/extra.list"),
            "deb [trusted=yes] copy:" + extra.directory() + " extra main\n"
                + "deb [trusted=yes] copy:" + extra.directory() + " extra-security main\n");
      }
      extra.add(suite, pkg);
      extra.writeIndices();
      apt(List.of("update"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean slowScriptletStarted(String name) {
    return Files.exists(sandbox.root().resolve("var/lib/" + name + "-slept"));
  }

  @Override
  public void installDirectly(String name) {
    apt(List.of("-y", "-q", "install", "--", name));
  }

  @Override
  public void removeDirectly(String name) {
    apt(List.of("-y", "-q", "remove", "--", name));
  }

  @Override
  public List<ProcessHandle> processes(long... except) {
    return SandboxProcesses.of(sandbox, except);
  }

  private String apt(List<String> args) {
    List<String> argv = new ArrayList<>(List.of("/usr/bin/apt-get"));
    argv.addAll(args);
    ProcessResult result = RUNNER.run(ProcessSpec.of(argv).withExtraEnv(sandbox.aptEnvironment()));
    assertThat(result.exitCode()).as(result.stderr().text()).isZero();
    return result.stdout().text();
  }

  private static String run(List<String> argv) {
    ProcessResult result = RUNNER.run(ProcessSpec.of(argv));
    assertThat(result.exitCode()).as(result.stderr().text()).isZero();
    return result.stdout().text();
  }
}
