package io.linuxpatch.packages.backend;

import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.config.PackageManagerConfig;
import io.linuxpatch.packages.backend.apt.AptBackend;
import io.linuxpatch.packages.backend.dnf.DnfBackend;
import io.linuxpatch.packages.backend.pacman.PacmanBackend;
import io.linuxpatch.process.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Chooses the host's package backend from {@code package_manager.backend} (PKG-1): {@code auto} detects the
 * host's (dpkg+apt, rpm+dnf, pacman, in that order), an explicit name is obeyed, {@code none} runs none. A
 * backend whose tools or database are missing is not started: the choice says why, and the agent runs with the
 * {@code package_manager} health check failing. Adding a backend is one entry here.
 */
public final class BackendRegistry {

  /** How one backend is detected, checked and made. */
  private record Entry(String name, Path[] tools, Function<PackageManagerConfig, String> unavailableReason,
      Maker maker) {
    boolean detected() {
      for (Path tool : tools) {
        if (!Files.isExecutable(tool)) {
          return false;
        }
      }
      return true;
    }
  }

  @FunctionalInterface
  private interface Maker {
    PackageBackend make(AgentConfig config, ProcessRunner runner);
  }

  /** The backends of this build, in the order {@code auto} tries them. */
  private static final Map<String, Entry> BACKENDS = new LinkedHashMap<>();

  static {
    register(new Entry("apt", new Path[] {Path.of("/usr/bin/dpkg"), Path.of("/usr/bin/apt-get")},
        AptBackend::unavailableReason,
        (config, runner) -> new AptBackend(config.packageManager(), config.patches().advisoryFeed(), runner)));
    register(new Entry("dnf", new Path[] {Path.of("/usr/bin/dnf"), Path.of("/usr/bin/rpm")},
        DnfBackend::unavailableReason, (config, runner) -> new DnfBackend(config.packageManager(), runner)));
    register(new Entry("pacman", new Path[] {Path.of(PacmanBackend.PACMAN)}, PacmanBackend::unavailableReason,
        (config, runner) -> new PacmanBackend(config.packageManager(), config.patches().advisoryFeed(),
            config.dataDir(), runner)));
  }

  private static void register(Entry entry) {
    BACKENDS.put(entry.name(), entry);
  }

  /**
   * What start-up decided.
   *
   * @param backend     the backend to run, null when none can
   * @param name        the backend's name, or what was configured when none runs
   * @param unavailable why no backend runs, null when one does
   */
  public record Choice(PackageBackend backend, String name, String unavailable) {
  }

  private BackendRegistry() {}

  /** The backend {@code config} asks for on this host, or why there is none. */
  public static Choice choose(AgentConfig config, ProcessRunner runner) {
    PackageManagerConfig pm = config.packageManager();
    String configured = pm.backend();
    if ("none".equals(configured)) {
      return new Choice(null, configured, "package_manager.backend is none");
    }
    Entry entry;
    if ("auto".equals(configured)) {
      entry = BACKENDS.values().stream().filter(Entry::detected).findFirst().orElse(null);
      if (entry == null) {
        return new Choice(null, configured, "package_manager.backend is auto but no supported package manager "
            + "was found (looked for " + String.join(", ", BACKENDS.keySet()) + ")");
      }
    } else {
      entry = BACKENDS.get(configured);
      if (entry == null) {
        return new Choice(null, configured, "the " + configured + " backend is not part of this build ("
            + String.join(", ", BACKENDS.keySet()) + ")");
      }
    }
    String unavailable = entry.unavailableReason().apply(pm);
    if (unavailable != null) {
      return new Choice(null, entry.name(), unavailable);
    }
    return new Choice(entry.maker().make(config, runner), entry.name(), null);
  }
}
