package io.linuxpatch.packages.backend.pacman.plan;

import io.linuxpatch.packages.backend.pacman.inventory.PacmanInventory;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanPackage;
import io.linuxpatch.packages.backend.pacman.version.PacmanVersion;
import io.linuxpatch.packages.plan.CandidateArchive;
import io.linuxpatch.packages.plan.Plan;
import io.linuxpatch.packages.plan.PlanAction;
import io.linuxpatch.packages.plan.RebootHeuristic;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code pacman --print --print-format FORMAT} printed for {@code -S}, {@code -Su}, {@code -U} or
 * {@code -R}: pacman's own resolution of a transaction (dependencies pulled in, in pacman's order), without a
 * lock and without changing anything. {@link #toPlan} joins it with the local database into a {@link Plan}.
 *
 * <p>What {@code --print} does not resolve, found in pacman 6.0's source and by experiment: it sets
 * {@code ALPM_TRANS_FLAG_NOCONFLICTS}, so packages a new one conflicts with (and packages it replaces during
 * {@code -Su}) are neither checked nor listed; {@link #toPlan} adds those removals from the databases by libalpm's
 * rules ({@link ConflictCheck}). The job must then pass {@code --ask=4} (answer "yes" to "X and Y are in
 * conflict. Remove Y?"), because with {@code --noconfirm} pacman answers no and fails with "unresolvable package
 * conflicts detected". {@code --print} also answers yes to "X is in IgnorePkg. Install anyway?" and prints
 * nothing for "nothing to do".
 */
public record PacmanPrint(List<PrintedTarget> targets, List<Problem> problems) {

  /**
   * The print format: a marker, then repository, name, version, size and location separated by spaces (none of
   * the first four can hold one; the location, which can, comes last). The marker tells the targets apart from
   * the other lines pacman writes to stdout in print mode ("loading packages...", ":: removing X breaks
   * dependency …").
   */
  public static final String FORMAT = "lpa-target %r %n %v %s %l";

  private static final String MARKER = "lpa-target ";

  /** A target line that could not be read; the plan is then incomplete and must not be executed. */
  public record Problem(int lineNumber, String line, String problem) {
  }

  /** The kind of transaction that was printed. */
  public enum Operation {
    /** {@code -S NAMES}: install or upgrade the named packages and their dependencies. */
    SYNC,
    /** {@code -Su} (with or without names): the system upgrade, which also honours {@code replaces}. */
    SYSTEM_UPGRADE,
    /** {@code -U FILES}: install package files (a rollback's downgrade from the cache). */
    UPGRADE_FILES,
    /** {@code -R}, {@code -Rs}: remove. */
    REMOVE
  }

  public PacmanPrint {
    targets = List.copyOf(targets);
    problems = List.copyOf(problems);
  }

  /** The arguments that make pacman print a transaction instead of running it, in this format. */
  public static List<String> arguments() {
    return List.of("--print", "--print-format", FORMAT);
  }

  /** Reads pacman's standard output (run it with {@code LC_ALL=C}); lines without the marker are ignored. */
  public static PacmanPrint parse(String stdout) {
    List<PrintedTarget> targets = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    String[] lines = stdout == null ? new String[0] : stdout.split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (!line.startsWith(MARKER)) {
        continue;
      }
      String[] fields = line.substring(MARKER.length()).split(" ", 5);
      if (fields.length < 5 || fields[0].isEmpty() || fields[1].isEmpty() || fields[2].isEmpty()) {
        problems.add(new Problem(i + 1, line, "expected repository, name, version, size and location"));
        continue;
      }
      long size;
      try {
        size = Long.parseLong(fields[3]);
      } catch (NumberFormatException e) {
        problems.add(new Problem(i + 1, line, "the size is not a number"));
        continue;
      }
      targets.add(new PrintedTarget(fields[0], fields[1], fields[2], size, fields[4]));
    }
    return new PacmanPrint(targets, problems);
  }

  /**
   * The plan these targets describe on {@code inventory} (the databases pacman printed from).
   *
   * <ul>
   *   <li>{@code SYNC}, {@code SYSTEM_UPGRADE}, {@code UPGRADE_FILES}: each target is an install, or an upgrade,
   *       downgrade or reinstall of the installed version (pacman's version order), with its repository as the
   *       suite; the installed packages pacman would remove for conflicts (and, for the system upgrade, for
   *       {@code replaces}) follow as removals; the download size is the sum of {@code %s} for {@code -S},
   *       0 for {@code -U} (local files);</li>
   *   <li>{@code REMOVE}: each target is a removal of the installed version; no download.</li>
   * </ul>
   *
   * @param ignored IgnorePkg and holds: for the system upgrade, their pending updates are listed as kept back
   */
  public Plan toPlan(Operation operation, PacmanInventory inventory, Set<String> ignored, RebootHeuristic reboot) {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(inventory, "inventory");
    List<PlanAction> actions = new ArrayList<>();
    boolean requiresReboot = false;
    if (operation == Operation.REMOVE) {
      for (PrintedTarget target : targets) {
        actions.add(new PlanAction(PlanAction.Kind.REMOVE, target.name(), architecture(inventory, target),
            target.version(), null, List.of()));
        requiresReboot |= reboot.wantsReboot(target.name());
      }
      return new Plan(actions, List.of(), requiresReboot, null);
    }
    long download = 0;
    for (PrintedTarget target : targets) {
      String installed = inventory.installed(target.name()).map(PacmanPackage::version).orElse(null);
      List<CandidateArchive> archives = target.fromLocal() ? List.of()
          : List.of(new CandidateArchive(null, null, target.repository()));
      actions.add(new PlanAction(kind(installed, target.version()), target.name(), architecture(inventory, target),
          installed, target.version(), archives));
      requiresReboot |= reboot.wantsReboot(target.name());
      download += target.sizeBytes();
    }
    for (PacmanPackage removed : ConflictCheck.removals(targets, inventory, operation == Operation.SYSTEM_UPGRADE,
        ignored)) {
      actions.add(new PlanAction(PlanAction.Kind.REMOVE, removed.name(), removed.architecture(), removed.version(),
          null, List.of()));
      requiresReboot |= reboot.wantsReboot(removed.name());
    }
    Set<String> keptBack = new LinkedHashSet<>();
    if (operation == Operation.SYSTEM_UPGRADE) {
      inventory.updates(ignored).stream().filter(PacmanInventory.PendingUpdate::ignored)
          .forEach(u -> keptBack.add(u.name()));
    }
    Long downloadSize = operation == Operation.UPGRADE_FILES ? Long.valueOf(0) : Long.valueOf(download);
    return new Plan(actions, List.copyOf(keptBack), requiresReboot, downloadSize);
  }

  private static PlanAction.Kind kind(String installed, String candidate) {
    if (installed == null) {
      return PlanAction.Kind.INSTALL;
    }
    int order = PacmanVersion.compare(candidate, installed);
    return order > 0 ? PlanAction.Kind.UPGRADE : order < 0 ? PlanAction.Kind.DOWNGRADE : PlanAction.Kind.REINSTALL;
  }

  /** The architecture from the database the target comes from; the installed one for local targets. */
  private static String architecture(PacmanInventory inventory, PrintedTarget target) {
    if (target.fromLocal()) {
      return inventory.installed(target.name()).map(PacmanPackage::architecture).orElse(null);
    }
    return inventory.available(target.repository(), target.name()).map(PacmanPackage::architecture).orElse(null);
  }
}
