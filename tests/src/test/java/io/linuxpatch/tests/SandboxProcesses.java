package io.linuxpatch.tests;

import io.linuxpatch.packages.backend.apt.sandbox.DemoSandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The processes working on one sandbox, found in /proc: apt-get's command line does not name the sandbox
 * (only its {@code APT_CONFIG} environment does), so both the environment and the command line (dpkg's
 * {@code --root}) are searched; dnf's names its {@code --installroot}, and rpm runs scriptlets chrooted into the
 * root, so for a root also {@code /proc/PID/root} counts. A process that ends while it is being read is skipped.
 */
final class SandboxProcesses {

  private SandboxProcesses() {}

  /**
   * Live processes whose environment or command line names this sandbox (zombies have neither), but for
   * {@code except} (e.g. the test's own {@link LockHolder}, whose command line names the lock file).
   */
  static List<ProcessHandle> of(DemoSandbox sandbox, long... except) {
    String aptConfig = "APT_CONFIG=" + sandbox.aptEnvironment().get("APT_CONFIG");
    String root = sandbox.root().toString();
    List<ProcessHandle> found = new ArrayList<>();
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      for (Path entry : entries.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        String environ = read(entry.resolve("environ"));
        String cmdline = read(entry.resolve("cmdline"));
        long pid = Long.parseLong(entry.getFileName().toString());
        if ((environ.contains(aptConfig + '\0') || cmdline.contains(root))
            && java.util.Arrays.stream(except).noneMatch(e -> e == pid)) {
          ProcessHandle.of(pid).ifPresent(found::add);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return found;
  }

  /**
   * Live processes whose command line names {@code root} or whose root directory is {@code root} (a scriptlet rpm
   * runs chrooted), but for {@code except}.
   */
  static List<ProcessHandle> working(Path root, long... except) {
    String rootText = root.toString();
    List<ProcessHandle> found = new ArrayList<>();
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      for (Path entry : entries.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        long pid = Long.parseLong(entry.getFileName().toString());
        if (java.util.Arrays.stream(except).anyMatch(e -> e == pid)) {
          continue;
        }
        if (read(entry.resolve("cmdline")).contains(rootText) || rootText.equals(link(entry.resolve("root")))) {
          ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(found::add);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return found;
  }

  private static String link(Path file) {
    try {
      return Files.readSymbolicLink(file).toString();
    } catch (IOException | SecurityException | UnsupportedOperationException gone) {
      return "";
    }
  }

  /** Ends every process of the sandbox (e.g. the apt-get a killed agent left behind in its own session). */
  static void killAll(DemoSandbox sandbox) {
    of(sandbox).forEach(ProcessHandle::destroyForcibly);
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException | SecurityException gone) {
      return "";
    }
  }
}
