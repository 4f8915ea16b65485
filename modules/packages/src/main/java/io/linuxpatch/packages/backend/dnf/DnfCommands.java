package io.linuxpatch.packages.backend.dnf;

import io.linuxpatch.contract.config.PackageManagerConfig;
import io.linuxpatch.process.ProcessSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The argv of every dnf and rpm child of the dnf backend, built from {@code package_manager}: dnf gets the
 * configured options ({@code --installroot}, {@code --config}, {@code --releasever}, {@code --setopt},
 * {@code --disableplugin}/{@code --enableplugin} on a sandbox; nothing on a real host) before its command, rpm gets
 * {@code --root} and the database path when the root is not {@code /}, and both get {@code package_manager.env}
 * (e.g. HOME, whose {@code .rpmmacros} places a sandbox's database) besides the runner's fixed {@code LC_ALL=C}.
 *
 * <p>It also finds, from the same options and dnf's configuration file, the files dnf reads that the backend stamps
 * or reads itself: the repository directories and the versionlock plugin's lock list (dnf reads these as host
 * paths even with {@code --installroot}, as the shared notes proved).
 */
public final class DnfCommands {

  public static final Path DNF = Path.of("/usr/bin/dnf");
  public static final Path RPM = Path.of("/usr/bin/rpm");
  /** dnf 4's default {@code reposdir}. */
  private static final List<String> DEFAULT_REPOS_DIRS = List.of("/etc/yum.repos.d", "/etc/yum/repos.d",
      "/etc/distro.repos.d");
  private static final String DEFAULT_CONFIG = "/etc/dnf/dnf.conf";
  private static final String DEFAULT_PLUGIN_CONF = "/etc/dnf/plugins";

  private final Path root;
  private final Map<String, String> env;
  private final List<String> options;

  public DnfCommands(PackageManagerConfig config) {
    this.root = Path.of(config.root());
    this.env = Map.copyOf(config.env());
    this.options = List.copyOf(config.options());
  }

  /** {@code package_manager.root}: {@code /} on a real host, the installroot of a sandbox. */
  public Path root() {
    return root;
  }

  /** {@code package_manager.env}. */
  public Map<String, String> environment() {
    return env;
  }

  /** {@code dnf OPTIONS ARGS}. */
  public List<String> dnf(List<String> args) {
    List<String> argv = new ArrayList<>();
    argv.add(DNF.toString());
    argv.addAll(options);
    argv.addAll(args);
    return argv;
  }

  public List<String> dnf(String... args) {
    return dnf(Arrays.asList(args));
  }

  /**
   * {@code rpm [--root=R --dbpath=/var/lib/rpm] ARGS}: on another root the database path is given explicitly, so
   * that rpm never opens (or creates) a database in whatever {@code %_dbpath} a HOME would name (Debian's rpm keeps
   * it in {@code ~/.rpmdb}); on {@code /} rpm's own configuration decides, as for every other rpm call on the host.
   */
  public List<String> rpm(List<String> args) {
    List<String> argv = new ArrayList<>();
    argv.add(RPM.toString());
    if (!isHostRoot()) {
      argv.add("--root=" + root);
      argv.add("--dbpath=/var/lib/rpm");
    }
    argv.addAll(args);
    return argv;
  }

  public List<String> rpm(String... args) {
    return rpm(Arrays.asList(args));
  }

  /** A spec of {@code argv} with the configured environment and {@code timeout}. */
  public ProcessSpec spec(List<String> argv, Duration timeout) {
    return ProcessSpec.of(argv).withExtraEnv(env).withTimeout(timeout);
  }

  public boolean isHostRoot() {
    return root.normalize().toString().equals("/");
  }

  /** The value of {@code --NAME=VALUE} (or {@code --NAME VALUE}) among the options, the last one winning. */
  Optional<String> option(String name) {
    String value = null;
    for (int i = 0; i < options.size(); i++) {
      String option = options.get(i);
      if (option.startsWith(name + "=")) {
        value = option.substring(name.length() + 1);
      } else if (option.equals(name) && i + 1 < options.size()) {
        value = options.get(++i);
      }
    }
    return Optional.ofNullable(value);
  }

  /** The value of {@code --setopt=KEY=VALUE} among the options, the last one winning. */
  Optional<String> setopt(String key) {
    String value = null;
    for (int i = 0; i < options.size(); i++) {
      String option = options.get(i);
      String setting = option.startsWith("--setopt=") ? option.substring("--setopt=".length())
          : option.equals("--setopt") && i + 1 < options.size() ? options.get(++i) : null;
      if (setting != null && setting.startsWith(key + "=")) {
        value = setting.substring(key.length() + 1);
      }
    }
    return Optional.ofNullable(value);
  }

  /** Whether the options name the installroot explicitly (a sandbox must, or dnf would act on the host). */
  public boolean namesInstallroot() {
    return option("--installroot").map(r -> Path.of(r).normalize().equals(root.normalize())).orElse(false);
  }

  /** The dnf configuration file: {@code --config}, else {@code /etc/dnf/dnf.conf}. */
  public Path configFile() {
    return Path.of(option("--config").or(() -> option("-c")).orElse(DEFAULT_CONFIG));
  }

  /** The directories dnf reads {@code *.repo} files from: {@code --setopt=reposdir}, else dnf.conf's, else dnf's. */
  public List<Path> reposDirectories() {
    String value = setopt("reposdir").or(() -> mainSetting("reposdir")).orElse(null);
    List<String> dirs = value == null ? DEFAULT_REPOS_DIRS
        : Arrays.stream(value.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    return dirs.stream().map(Path::of).toList();
  }

  /**
   * The versionlock plugin's lock list ({@code locklist=} of {@code versionlock.conf} in dnf's
   * {@code pluginconfpath}); empty when the plugin is not configured.
   */
  public Optional<Path> lockList() {
    Path pluginConf = Path.of(setopt("pluginconfpath").or(() -> mainSetting("pluginconfpath"))
        .orElse(DEFAULT_PLUGIN_CONF).split("[,\\s]+")[0]);
    return IniFile.value(pluginConf.resolve("versionlock.conf"), "main", "locklist").map(Path::of);
  }

  /** The root's dnf cache (cachedir always gets the installroot prepended). */
  public Path cacheDirectory() {
    return root.resolve("var/cache/dnf");
  }

  private Optional<String> mainSetting(String key) {
    return IniFile.value(configFile(), "main", key);
  }

  /** The few INI values the backend reads from dnf's files; a missing file is no value. */
  static final class IniFile {

    private IniFile() {
    }

    static Optional<String> value(Path file, String section, String key) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException e) {
        return Optional.empty();
      }
      String current = null;
      String value = null;
      for (String raw : lines) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
          continue;
        }
        if (line.startsWith("[") && line.endsWith("]")) {
          current = line.substring(1, line.length() - 1).strip();
          continue;
        }
        int equals = line.indexOf('=');
        if (section.equals(current) && equals > 0 && line.substring(0, equals).strip().equals(key)) {
          value = line.substring(equals + 1).strip();
        }
      }
      return Optional.ofNullable(value);
    }
  }
}
