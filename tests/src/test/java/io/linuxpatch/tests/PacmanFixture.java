package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.pacman.sandbox.PackageFile;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanPackageSpec;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanSandbox;
import io.linuxpatch.packages.sandbox.SandboxConfig;
import io.linuxpatch.process.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * pacman's demo sandbox for the contract suite: {@code pacman -Q}, {@code pacman -S --print} and the local
 * database's files are the truth. Scriptlets run chrooted in the sandbox with only {@code sandbox-sh}'s shell, so the
 * slow one ships the host's {@code sleep} (which needs no library the shell package does not already ship).
 */
final class PacmanFixture implements BackendFixture {

  private static final Path SLEEP = Path.of("/usr/bin/sleep");
  private PacmanSandbox sandbox;

  @Override
  public String name() {
    return "pacman";
  }

  @Override
  public String missing() {
    for (Path tool : List.of(PacmanSandbox.PACMAN, Path.of("/usr/bin/repo-add"), Path.of("/usr/bin/bsdtar"),
        LockHolder.PYTHON)) {
      if (!Files.isExecutable(tool)) {
        return tool + " is needed (pacman-package-manager, libarchive-tools, python3)";
      }
    }
    return "root".equals(System.getProperty("user.name")) ? null : "pacman transactions need root";
  }

  @Override
  public SandboxConfig create(Path dir) {
    sandbox = PacmanSandbox.createDemo(dir.resolve("sandbox"));
    return sandbox.config();
  }

  @Override
  public Map<String, String> installed() {
    Map<String, String> installed = new TreeMap<>();
    for (String line : pacman("-Q").lines().toList()) {
      String[] fields = line.split(" ");
      installed.put(fields[0], fields[1]);
    }
    return installed;
  }

  @Override
  public List<String> simulatedInstall(String name) {
    return pacman("-S", "--print", "--print-format", "%n", "--", name).lines().sorted().toList();
  }

  /** Every file of the local database and the sync databases, in path order. */
  @Override
  public List<Path> databaseFiles() {
    try (Stream<Path> files = Files.walk(sandbox.dbPath())) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
   * Another program in a pacman transaction, as libalpm holds the lock: {@code db.lck} created with
   * {@code O_CREAT|O_EXCL} and kept open, removed when it is done.
   */
  @Override
  public AutoCloseable holdLock() throws Exception {
    Path lock = sandbox.lockFile();
    return LockHolder.run("import os,sys\n"
        + "fd=os.open(sys.argv[1],os.O_CREAT|os.O_EXCL|os.O_WRONLY,0o644)\n"
        + "print('locked',flush=True)\n"
        + "sys.stdin.read()\n"
        + "os.unlink(sys.argv[1])\n"
        + "os.close(fd)\n", lock);
  }

  @Override
  public void addFailingScriptlet(String name) {
    // Fails the first time only, like apt's fixture; pacman installs the package and exits 0 all the same.
    String marker = "/var/lib/" + name + "-failed";
    sandbox.publish(List.of(PacmanPackageSpec.of(name, "1.0-1", "fails its post_install once")
        .withDepends("sh")
        .withInstall("""
            post_install() {
              if [ ! -e %1$s ]; then
                : > %1$s
                echo "post_install of %2$s fails once on purpose"
                return 1
              fi
            }
            """.formatted(marker, name))));
  }

  @Override
  public void addSlowScriptlet(String name, int seconds) {
    String marker = "/var/lib/" + name + "-slept";
    String sleeper = "usr/bin/" + name + "-sleep";
    try {
      sandbox.publish(List.of(PacmanPackageSpec.of(name, "1.0-1", "sleeps in its post_install once")
          .withDepends("sh")
          .withFile(PackageFile.bytes(sleeper, Files.readAllBytes(SLEEP), 0755))
          .withInstall("""
              post_install() {
                if [ ! -e %1$s ]; then
                  : > %1$s
                  /%2$s %3$d
                fi
              }
              """.formatted(marker, sleeper, seconds))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void installDirectly(String name) {
    pacman("--noconfirm", "-S", "--", name);
  }

  @Override
  public void removeDirectly(String name) {
    pacman("--noconfirm", "-R", "--", name);
  }

  @Override
  public boolean slowScriptletStarted(String name) {
    return Files.exists(sandbox.root().resolve("var/lib/" + name + "-slept"));
  }

  /**
   * pacman working on the sandbox (its command line names the sandbox's pacman.conf) and the scriptlets it runs
   * chrooted into the sandbox root, found in /proc; zombies and {@code except} are left out.
   */
  @Override
  public List<ProcessHandle> processes(long... except) {
    String root = sandbox.root().toString();
    List<ProcessHandle> found = new ArrayList<>();
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      for (Path entry : entries.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        long pid = Long.parseLong(entry.getFileName().toString());
        if (Arrays.stream(except).anyMatch(e -> e == pid)) {
          continue;
        }
        String cmdline = read(entry.resolve("cmdline"));
        String chroot;
        try {
          chroot = Files.readSymbolicLink(entry.resolve("root")).toString();
        } catch (IOException | SecurityException gone) {
          chroot = "";
        }
        if (!cmdline.isEmpty() && (cmdline.contains(root) || chroot.equals(root))) {
          ProcessHandle.of(pid).ifPresent(found::add);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return found;
  }

  private String pacman(String... args) {
    ProcessResult result = sandbox.pacman(args);
    assertThat(result.exitCode()).as(result.stderr().text()).isZero();
    return result.stdout().text();
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException | SecurityException gone) {
      return "";
    }
  }
}
