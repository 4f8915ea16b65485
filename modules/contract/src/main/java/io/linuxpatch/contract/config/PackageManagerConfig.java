package io.linuxpatch.contract.config;

import java.util.List;
import java.util.Map;

/**
 * {@code package_manager} section (PKG-1, PKG-5).
 *
 * @param backend auto, apt, dnf, pacman or apk
 * @param root    the root the package manager works on; {@code /} is the host
 * @param env     extra environment for every package-manager child (e.g. APT_CONFIG, TMPDIR)
 * @param options extra backend options (e.g. dpkg {@code --root=...}, {@code --log=...})
 */
public record PackageManagerConfig(String backend, String root, Map<String, String> env, List<String> options) {

  static PackageManagerConfig read(ConfigReader r) {
    PackageManagerConfig c = new PackageManagerConfig(
        r.oneOf("backend", "auto", "auto", "apt", "dnf", "pacman", "apk", "none"),
        r.path("root", "/"),
        r.stringMap("env"),
        r.stringList("options", List.of()));
    r.rejectUnknownKeys();
    return c;
  }
}
