package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.dnf.sandbox.DnfSandbox;
import io.linuxpatch.packages.backend.dnf.sandbox.RpmSpec;
import io.linuxpatch.packages.sandbox.SandboxConfig;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * dnf's demo sandbox for the contract suite: {@code rpm -qa}, {@code dnf --assumeno} and the rpm database's files
 * are the truth. Scriptlets run chrooted in the root with the sandbox's dash and nothing else (no {@code sleep},
 * no {@code touch}), so they use shell built-ins: a redirection makes a marker file, and a slow scriptlet reads
 * from a FIFO nobody writes to.
 */
final class DnfFixture implements BackendFixture {

  private static final ProcessRunner RUNNER = ProcessRunner.create();
  private static final List<Path> TOOLS = List.of(DnfSandbox.DNF, DnfSandbox.RPM, Path.of("/usr/bin/rpmbuild"),
      Path.of("/usr/bin/createrepo_c"), Path.of("/usr/bin/modifyrepo_c"), LockHolder.PYTHON);
  private DnfSandbox sandbox;

  @Override
  public String name() {
    return "dnf";
  }

  @Override
  public String missing() {
    List<Path> absent = TOOLS.stream().filter(tool -> !Files.isExecutable(tool)).toList();
    if (!absent.isEmpty()) {
      return absent + " are needed (apt-get install dnf rpm createrepo-c dnf-plugins-core python3)";
    }
    return "root".equals(System.getProperty("user.name")) ? null
        : "dnf on an installroot needs root (as another user it fails on <root>/var/tmp)";
  }

  @Override
  public SandboxConfig create(Path dir) {
    sandbox = DnfSandbox.create(dir, RUNNER);
    return sandbox.config();
  }

  @Override
  public Map<String, String> installed() {
    Map<String, String> installed = new TreeMap<>();
    for (String line : run(sandbox.rpm("-qa", "--qf", "%{NAME} %{EPOCHNUM} %{VERSION}-%{RELEASE}\\n")).lines().toList()) {
      String[] fields = line.split(" ");
      installed.put(fields[0], ("0".equals(fields[1]) ? "" : fields[1] + ":") + fields[2]);
    }
    return installed;
  }

  @Override
  public List<String> simulatedInstall(String name) {
    ProcessResult result = RUNNER.run(sandbox.dnf("-C", "--assumeno", "install", "--", name));
    assertThat(result.stderr().text()).contains("Operation aborted.");
    List<String> names = new ArrayList<>();
    boolean installing = false;
    for (String line : result.stdout().lines()) {
      if (!line.startsWith(" ")) {
        installing = line.startsWith("Installing");
      } else if (installing && !line.isBlank()) {
        names.add(line.strip().split("\\s+")[0]);
      }
    }
    return names.stream().sorted().toList();
  }

  @Override
  public List<Path> databaseFiles() {
    Path rpm = sandbox.rpmDatabase();
    Path dnf = sandbox.root().resolve("var/lib/dnf");
    return java.util.stream.Stream.of(rpm.resolve("rpmdb.sqlite"), rpm.resolve("rpmdb.sqlite-wal"),
        dnf.resolve("history.sqlite"), dnf.resolve("history.sqlite-wal")).filter(Files::exists).toList();
  }

  @Override
  public String toolUpdate() {
    return "1.1-1";
  }

  @Override
  public String sslUpdate() {
    return "1.1-1";
  }

  @Override
  public String toolInstalled() {
    return "1.0-1";
  }

  /**
   * dnf's own lock protocol ({@code dnf/lock.py}): the process whose live pid is in the root's
   * {@code var/lib/dnf/rpmdb_lock.pid} holds the rpm database; another dnf says "Waiting for process with pid N to
   * finish." and waits. A python3 child writes its pid there under the same {@code flock} and keeps it until closed.
   */
  @Override
  public AutoCloseable holdLock() throws Exception {
    Path lock = sandbox.root().resolve("var/lib/dnf/rpmdb_lock.pid");
    return LockHolder.run("import fcntl,os,sys\n"
        + "fd=os.open(sys.argv[1],os.O_CREAT|os.O_RDWR,0o644)\n"
        + "fcntl.flock(fd,fcntl.LOCK_EX)\n"
        + "old=os.read(fd,20).strip()\n"
        + "busy=bool(old) and os.path.exists('/proc/%s/stat' % old.decode())\n"
        + "if not busy:\n"
        + "  os.lseek(fd,0,0); os.ftruncate(fd,0); os.write(fd,str(os.getpid()).encode())\n"
        + "os.close(fd)\n"
        + "print('busy' if busy else 'locked',flush=True)\n"
        + "sys.stdin.read()\n"
        + "os.unlink(sys.argv[1]) if not busy else None\n", lock);
  }

  @Override
  public void addFailingScriptlet(String name) {
    // Fails the first time only, like apt's: a marker made by a redirection (dash built-ins only in the root).
    String marker = "/var/lib/" + name + "-failed";
    sandbox.addPackages(RpmSpec.of(name, "1.0", "1", "fails its %post once").withScriptlet(RpmSpec.Scriptlet.POST,
        "if [ ! -e " + marker + " ]; then : > " + marker + "; echo \"" + name + ": failing on purpose\" >&2; exit 1; fi\n"));
  }

  /**
   * The scriptlet reads a line from a FIFO in the root that nobody writes to: it blocks (for at least
   * {@code seconds}, in fact until it is killed) the first time it runs, without a busy loop.
   */
  @Override
  public void addSlowScriptlet(String name, int seconds) {
    String fifo = "/var/tmp/" + name + ".fifo";
    String marker = "/var/lib/" + name + "-slept";
    try {
      Path file = sandbox.root().resolve(fifo.substring(1));
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      run(List.of("/usr/bin/mkfifo", file.toString()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    sandbox.addPackages(RpmSpec.of(name, "1.0", "1", "slow %post once").withScriptlet(RpmSpec.Scriptlet.POST,
        "if [ ! -e " + marker + " ]; then : > " + marker + "; read line < " + fifo + "; fi\n"));
  }

  @Override
  public boolean slowScriptletStarted(String name) {
    return Files.exists(sandbox.root().resolve("var/lib/" + name + "-slept"));
  }

  /** As the agent's jobs run dnf: {@code -y} on the cached metadata however old it is. */
  @Override
  public void installDirectly(String name) {
    run(sandbox.dnf("-y", "--setopt=*.metadata_expire=-1", "install", "--", name));
  }

  @Override
  public void removeDirectly(String name) {
    run(sandbox.dnf("-y", "--setopt=*.metadata_expire=-1", "remove", "--", name));
  }

  @Override
  public List<ProcessHandle> processes(long... except) {
    return SandboxProcesses.working(sandbox.root(), except);
  }

  private static String run(ProcessSpec spec) {
    ProcessResult result = RUNNER.run(spec);
    assertThat(result.exitCode()).as(result.stderr().text()).isZero();
    return result.stdout().text();
  }

  private static String run(List<String> argv) {
    return run(ProcessSpec.of(argv));
  }
}
