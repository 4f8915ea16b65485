package io.linuxpatch.packages.backend.dnf.plan;

import io.linuxpatch.packages.plan.RebootHeuristic;
import java.util.List;
import java.util.Set;

/**
 * The dry-run plan's {@code requires_reboot} hint on rpm systems: the packages dnf's needs-restarting plugin
 * (dnf-plugins-core 4, {@code NEED_REBOOT}) says want a reboot, plus the RHEL/Fedora kernel sub-packages that
 * carry the kernel image. A hint only (see {@link RebootHeuristic}).
 */
public final class RpmRebootPackages {

  public static final RebootHeuristic HEURISTIC = new RebootHeuristic(Set.of("kernel", "kernel-core", "kernel-rt",
      "kernel-rt-core", "glibc", "linux-firmware", "systemd", "dbus", "dbus-broker", "dbus-daemon"), List.of());

  private RpmRebootPackages() {
  }
}
