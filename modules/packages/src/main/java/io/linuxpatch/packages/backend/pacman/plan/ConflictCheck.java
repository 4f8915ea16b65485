package io.linuxpatch.packages.backend.pacman.plan;

import io.linuxpatch.packages.backend.pacman.inventory.PacmanInventory;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanPackage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The installed packages a transaction removes although nobody named them, which {@code pacman --print} does not
 * show: libalpm's "outer" conflicts ({@code _alpm_outerconflicts}: a new package's {@code conflicts} satisfied by
 * an installed one, or an installed package's {@code conflicts} satisfied by a new one, the installed package not
 * being replaced by a new version of itself) and, during a system upgrade, the installed packages a new one
 * {@code replaces} (matched on name and version, as libalpm's {@code check_replacers} does, IgnorePkg honoured).
 * Package files given to {@code -U} are not in a sync database: their relations are unknown here.
 */
final class ConflictCheck {

  private ConflictCheck() {
  }

  /** The installed packages removed by these targets, in the order found, each once. */
  static List<PacmanPackage> removals(List<PrintedTarget> targets, PacmanInventory inventory, boolean systemUpgrade,
      Set<String> ignored) {
    Set<String> incoming = targets.stream().map(PrintedTarget::name).collect(Collectors.toSet());
    Map<String, PacmanPackage> removed = new LinkedHashMap<>();
    // few installed packages declare conflicts: parse theirs once, not once per target
    Map<PacmanPackage, List<Dependency>> installedConflicts = new LinkedHashMap<>();
    for (PacmanPackage installed : inventory.local().packages()) {
      List<String> declared = installed.conflicts();
      if (!declared.isEmpty()) {
        installedConflicts.put(installed, parsed(declared));
      }
    }
    for (PrintedTarget target : targets) {
      if (target.fromLocal()) {
        continue;
      }
      Optional<PacmanPackage> found = inventory.available(target.repository(), target.name());
      if (found.isEmpty()) {
        continue;
      }
      PacmanPackage incomingPackage = found.get();
      List<Dependency> conflicts = parsed(incomingPackage.conflicts());
      if (!conflicts.isEmpty()) {
        for (PacmanPackage installed : inventory.local().packages()) {
          if (!incoming.contains(installed.name()) && anySatisfied(conflicts, installed)) {
            removed.putIfAbsent(installed.name(), installed);
          }
        }
      }
      for (Map.Entry<PacmanPackage, List<Dependency>> entry : installedConflicts.entrySet()) {
        PacmanPackage installed = entry.getKey();
        if (!incoming.contains(installed.name()) && anySatisfied(entry.getValue(), incomingPackage)) {
          removed.putIfAbsent(installed.name(), installed);
        }
      }
      if (systemUpgrade) {
        for (Dependency replaced : parsed(incomingPackage.replaces())) {
          inventory.installed(replaced.name())
              .filter(installed -> !ignored.contains(installed.name()) && !incoming.contains(installed.name()))
              .filter(installed -> replaced.satisfiedBy(installed.name(), installed.version(), List.of()))
              .ifPresent(installed -> removed.putIfAbsent(installed.name(), installed));
        }
      }
    }
    return new ArrayList<>(removed.values());
  }

  /** Whether any of the conflicts is satisfied by the package (its name and version, or a provision). */
  private static boolean anySatisfied(List<Dependency> conflicts, PacmanPackage candidate) {
    for (Dependency conflict : conflicts) {
      if (conflict.satisfiedBy(candidate.name(), candidate.version(), candidate.provides())) {
        return true;
      }
    }
    return false;
  }

  private static List<Dependency> parsed(List<String> relations) {
    return relations.stream().map(Dependency::parse).toList();
  }
}
