package io.linuxpatch.packages.plan;

import java.util.List;
import java.util.Set;

/**
 * Whether a planned change will probably want a reboot: a kernel image, or a package from a configurable
 * list whose running copy lives for the whole boot (libc6, systemd, dbus).
 *
 * <p>A heuristic for the dry-run plan's {@code requires_reboot} hint ONLY. It is never used to classify a
 * patch as security or to decide its severity (PKG-3 forbids guessing from names); after a real run the
 * system's own signal ({@code /run/reboot-required}, PKG-4) is authoritative.
 *
 * @param names    exact package names that want a reboot
 * @param prefixes name prefixes that want a reboot (kernel images)
 */
public record RebootHeuristic(Set<String> names, List<String> prefixes) {

  /** Kernel images, the C library, the init system and the system bus. */
  public static final RebootHeuristic DEFAULT =
      new RebootHeuristic(Set.of("libc6", "systemd", "dbus", "dbus-daemon"), List.of("linux-image-"));

  public RebootHeuristic {
    names = Set.copyOf(names);
    prefixes = List.copyOf(prefixes);
  }

  /** Whether changing this package (name without {@code :arch}) probably wants a reboot. */
  public boolean wantsReboot(String packageName) {
    return names.contains(packageName) || prefixes.stream().anyMatch(packageName::startsWith);
  }
}
