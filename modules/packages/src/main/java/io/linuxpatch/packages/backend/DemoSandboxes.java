package io.linuxpatch.packages.backend;

import io.linuxpatch.packages.backend.apt.sandbox.DemoSandbox;
import io.linuxpatch.packages.backend.dnf.sandbox.DnfSandbox;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanSandbox;
import io.linuxpatch.packages.sandbox.SandboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The demo sandbox of each backend (OPS-3), the same catalogue on every one: demo-base, demo-tool with a normal
 * update, demo-ssl with a security update and its advisory, demo-app requiring demo-lib, demo-legacy and the
 * conflicting demo-modern; built with the backend's real tools under a directory of developer mode's. One entry
 * per backend, like {@link BackendRegistry}.
 */
public final class DemoSandboxes {

  /** How one backend's demo is checked and built. */
  private record Entry(List<Path> tools, Maker maker) {
  }

  @FunctionalInterface
  private interface Maker {
    SandboxConfig make(Path dir);
  }

  private static final Map<String, Entry> DEMOS = Map.of(
      "apt", new Entry(List.of(Path.of("/usr/bin/dpkg-deb"), Path.of("/usr/bin/apt-get")),
          dir -> DemoSandbox.create(dir).config()),
      "dnf", new Entry(List.of(DnfSandbox.DNF, DnfSandbox.RPM, Path.of("/usr/bin/rpmbuild"),
          Path.of("/usr/bin/createrepo_c")), dir -> DnfSandbox.create(dir).config()),
      "pacman", new Entry(List.of(PacmanSandbox.PACMAN, Path.of("/usr/bin/repo-add"), Path.of("/usr/bin/bsdtar")),
          dir -> PacmanSandbox.createDemo(dir.resolve("sandbox")).config()));

  private DemoSandboxes() {}

  /** The backends developer mode can build a demo for. */
  public static List<String> backends() {
    return List.of("apt", "dnf", "pacman");
  }

  /** The tools {@code backend}'s demo needs that this machine lacks; empty when it can be built. */
  public static List<Path> missingTools(String backend) {
    return entry(backend).tools().stream().filter(tool -> !Files.isExecutable(tool)).toList();
  }

  /** Builds (or reuses) {@code backend}'s demo under {@code dir/sandbox}. */
  public static SandboxConfig create(String backend, Path dir) {
    return entry(backend).maker().make(dir);
  }

  private static Entry entry(String backend) {
    Entry entry = DEMOS.get(backend);
    if (entry == null) {
      throw new IllegalArgumentException("no demo sandbox for backend " + backend + "; choose one of " + backends());
    }
    return entry;
  }
}
