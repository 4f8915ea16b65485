package io.linuxpatch.packages.backend.apt.plan;

import io.linuxpatch.packages.plan.Plan;
import io.linuxpatch.packages.plan.PlanAction;
import io.linuxpatch.packages.plan.RebootHeuristic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@code apt-get -s -o Debug::NoLocking=1 install|upgrade|dist-upgrade|remove …} printed: the
 * operation lines in apt's order, the packages it kept back, and the download size when apt printed one.
 *
 * <p>Everything else apt prints (progress, the human summary blocks) is ignored: the operation lines carry
 * the same information in a stable, machine-oriented form. An operation line that cannot be read becomes a
 * {@link SimulationProblem}; the other lines are still used, and callers must not execute a plan whose
 * simulation has problems.
 */
public record AptSimulation(List<SimulationLine> lines, List<String> keptBack, Long downloadSizeBytes,
    List<SimulationProblem> problems) {

  public AptSimulation {
    lines = List.copyOf(lines);
    keptBack = List.copyOf(keptBack);
    problems = List.copyOf(problems);
  }

  /** Reads apt's standard output (run it with {@code LC_ALL=C}: the block headers are translated otherwise). */
  public static AptSimulation parse(String stdout) {
    List<SimulationLine> lines = new ArrayList<>();
    List<String> keptBack = new ArrayList<>();
    List<SimulationProblem> problems = new ArrayList<>();
    Long downloadSize = null;
    boolean inKeptBackBlock = false;
    String[] raw = stdout == null ? new String[0] : stdout.split("\r?\n");
    for (int i = 0; i < raw.length; i++) {
      String line = raw[i];
      if (inKeptBackBlock && line.startsWith(" ")) {
        for (String name : line.strip().split("\\s+")) {
          if (!name.isEmpty()) {
            keptBack.add(name);
          }
        }
        continue;
      }
      inKeptBackBlock = isKeptBackHeader(line);
      if (line.startsWith("Need to get ")) {
        downloadSize = DownloadSize.parse(line);
      } else if (line.startsWith("Inst ") || line.startsWith("Remv ") || line.startsWith("Purg ")
          || line.startsWith("Conf ")) {
        try {
          lines.add(OperationLine.parse(line));
        } catch (IllegalArgumentException e) {
          problems.add(new SimulationProblem(i + 1, line, e.getMessage()));
        }
      }
    }
    return new AptSimulation(lines, keptBack, downloadSize, problems);
  }

  /**
   * apt 2.6 says "have been kept back" (holds and unresolvable upgrades alike); newer releases add phasing
   * ("deferred due to phasing", "Not upgrading yet due to phasing:") and "Not upgrading:". Phased updates
   * that apt would not install belong here too: they are not part of the plan.
   */
  private static boolean isKeptBackHeader(String line) {
    if (!line.endsWith(":") || line.startsWith(" ")) {
      return false;
    }
    String lower = line.toLowerCase(Locale.ROOT);
    return lower.contains("kept back") || lower.contains("held back") || lower.contains("due to phasing")
        || lower.startsWith("not upgrading");
  }

  /**
   * The plan these lines describe.
   *
   * @param versions the package manager's version order (for apt: Debian version comparison); tells an
   *                 upgrade from a downgrade or a reinstall
   * @param reboot   which packages make the plan's {@code requires_reboot} hint true
   */
  public Plan toPlan(Comparator<String> versions, RebootHeuristic reboot) {
    Objects.requireNonNull(versions, "versions");
    Objects.requireNonNull(reboot, "reboot");
    List<PlanAction> actions = new ArrayList<>();
    boolean requiresReboot = false;
    for (SimulationLine line : lines) {
      PlanAction action = null;
      if (line instanceof SimulationLine.Inst inst) {
        action = new PlanAction(installKind(inst, versions), inst.name(), inst.arch(),
            inst.installedVersion(), inst.candidateVersion(), inst.archives());
      } else if (line instanceof SimulationLine.Remv remv) {
        action = new PlanAction(PlanAction.Kind.REMOVE, remv.name(), remv.arch(), remv.installedVersion(), null,
            List.of());
      } else if (line instanceof SimulationLine.Purg purg) {
        action = new PlanAction(PlanAction.Kind.PURGE, purg.name(), purg.arch(), purg.installedVersion(), null,
            List.of());
      }
      // a Conf line only completes an Inst that is already in the plan
      if (action != null) {
        actions.add(action);
        requiresReboot |= reboot.wantsReboot(action.name());
      }
    }
    return new Plan(actions, keptBack, requiresReboot, downloadSizeBytes);
  }

  private static PlanAction.Kind installKind(SimulationLine.Inst inst, Comparator<String> versions) {
    if (inst.installedVersion() == null) {
      return PlanAction.Kind.INSTALL;
    }
    int order = versions.compare(inst.candidateVersion(), inst.installedVersion());
    return order > 0 ? PlanAction.Kind.UPGRADE : order < 0 ? PlanAction.Kind.DOWNGRADE : PlanAction.Kind.REINSTALL;
  }
}
