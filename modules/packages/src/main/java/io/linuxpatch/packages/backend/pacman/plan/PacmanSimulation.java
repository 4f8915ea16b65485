package io.linuxpatch.packages.backend.pacman.plan;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.Transaction;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanInventory;
import io.linuxpatch.packages.backend.pacman.job.PacmanFailure;
import io.linuxpatch.packages.plan.Plan;
import io.linuxpatch.packages.plan.PlanAction;
import io.linuxpatch.packages.plan.RebootHeuristic;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A pacman transaction's plan from pacman's own resolution: each step run with {@code --print} (no lock, nothing
 * changed) and read by {@link PacmanPrint}, which adds the conflict removals {@code --print} leaves out.
 *
 * <p>A step is pacman's arguments as the job will run them, operation first ({@code -S}, {@code -Su}, {@code -Syu},
 * {@code -U}, {@code -R}, {@code -Rn}). A step that refreshes ({@code -Syu}) is printed as {@code -Su} on the
 * detached refresh's DBPath, whose databases are what the refresh inside the job downloads; printing it as is would
 * refresh pacman's own databases, the partial state a plan must never leave behind. {@code -Rn} is printed as
 * {@code -R} (pacman refuses {@code --nosave} with {@code --print}; the resolution is the same).
 *
 * <p>Holds: {@code --print} answers "X is in IgnorePkg. Install anyway?" with yes, while a job (with
 * {@code --ask=5}) answers no. So a held package that the step names is taken out of the plan and listed as kept
 * back ("skipping target", as the job will say), and a held package the resolution pulls in as a dependency makes
 * the plan a DEPENDENCY_CONFLICT — the job would fail on it.
 */
public final class PacmanSimulation {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  /** A few hundred bytes per target: enough for any real transaction, and a bound on a runaway output. */
  private static final int OUTPUT_LIMIT = 32 * 1024 * 1024;

  private final ProcessRunner runner;
  private final List<String> pacman;
  private final Map<String, String> environment;
  private final RebootHeuristic reboot;

  /**
   * @param pacman      the pacman executable and the configured options ({@code package_manager.options})
   * @param environment {@code package_manager.env}
   */
  public PacmanSimulation(ProcessRunner runner, List<String> pacman, Map<String, String> environment,
      RebootHeuristic reboot) {
    this.runner = runner;
    this.pacman = List.copyOf(pacman);
    this.environment = Map.copyOf(environment);
    this.reboot = reboot;
  }

  /**
   * The plan of every step together, on {@code inventory} (the databases pacman prints from).
   *
   * @param held                   every held installed name (IgnorePkg and the agent's holds)
   * @param ignoredByConfiguration pacman.conf's IgnorePkg patterns, which also hold packages not installed
   * @param refreshDbPath the detached refresh's DBPath, for a step that refreshes
   */
  public Plan simulate(Transaction transaction, PacmanInventory inventory, Set<String> held,
      Predicate<String> ignoredByConfiguration, Path refreshDbPath) {
    Map<String, PlanAction> actions = new LinkedHashMap<>();
    Set<String> keptBack = new LinkedHashSet<>();
    boolean requiresReboot = false;
    long download = 0;
    boolean downloadKnown = false;
    for (List<String> step : transaction.steps()) {
      Plan plan = simulateStep(step, inventory, held, ignoredByConfiguration, refreshDbPath);
      for (PlanAction action : plan.actions()) {
        actions.putIfAbsent(action.kind() + " " + action.name(), action);
      }
      keptBack.addAll(plan.keptBack());
      requiresReboot |= plan.requiresReboot();
      if (plan.downloadSizeBytes() != null) {
        download += plan.downloadSizeBytes();
        downloadKnown = true;
      }
    }
    return new Plan(new ArrayList<>(actions.values()), new ArrayList<>(keptBack), requiresReboot,
        downloadKnown ? download : null);
  }

  private Plan simulateStep(List<String> step, PacmanInventory inventory, Set<String> held,
      Predicate<String> ignoredByConfiguration, Path refreshDbPath) {
    String operation = step.get(0);
    boolean refreshes = operation.startsWith("-S") && operation.contains("y");
    // pacman refuses --nosave with --print; the resolution of -Rn is that of -R
    String printed = refreshes ? operation.replace("y", "")
        : operation.startsWith("-R") ? operation.replace("n", "") : operation;
    List<String> argv = new ArrayList<>(pacman);
    if (refreshes) {
      argv.addAll(List.of("--dbpath", refreshDbPath.toString()));
    }
    argv.add(printed);
    argv.addAll(PacmanPrint.arguments());
    argv.add("--noconfirm");
    argv.addAll(step.subList(1, step.size()));
    ProcessResult result = runner.run(ProcessSpec.of(argv).withExtraEnv(environment).withTimeout(TIMEOUT)
        .withOutputLimits(OUTPUT_LIMIT, ProcessSpec.DEFAULT_OUTPUT_LIMIT));
    if (result.timedOut()) {
      throw new BackendRefusal(ErrorCode.TIMEOUT, "pacman --print did not finish in time",
          new JsonObject().put("timeout_seconds", TIMEOUT.toSeconds()));
    }
    if (result.exitCode() != 0) {
      throw refusal(result);
    }
    if (result.stdout().truncated()) {
      throw new BackendRefusal(ErrorCode.BACKEND_UNAVAILABLE, "pacman --print printed more than "
          + OUTPUT_LIMIT / (1024 * 1024) + " MiB; the transaction is too large to plan",
          new JsonObject().put("output_bytes", result.stdout().totalBytes()));
    }
    PacmanPrint print = PacmanPrint.parse(result.stdout().text());
    if (!print.problems().isEmpty()) {
      throw new BackendRefusal(ErrorCode.BACKEND_UNAVAILABLE, "pacman --print printed a target line the agent "
          + "cannot read: " + print.problems().get(0).line(), new JsonObject().put("line", print.problems().get(0).line()));
    }
    PacmanPrint.Operation kind = kind(printed);
    // what the step itself passes as --ignore (a patch run's unselected updates) is held back like a hold
    Set<String> ignored = new LinkedHashSet<>(held);
    ignored.addAll(ignoredBy(step));
    Plan plan = print.toPlan(kind, inventory, ignored, reboot);
    if (kind == PacmanPrint.Operation.REMOVE) {
      return plan;
    }
    return withoutHeld(plan, named(step, kind, print), name -> ignored.contains(name)
        || ignoredByConfiguration.test(name));
  }

  /** The names of the step's {@code --ignore} options (comma-separated lists, as pacman takes them). */
  static Set<String> ignoredBy(List<String> step) {
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < step.size() - 1 && !step.get(i).equals("--"); i++) {
      if (step.get(i).equals("--ignore")) {
        for (String name : step.get(i + 1).split(",")) {
          if (!name.isEmpty()) {
            names.add(name);
          }
        }
      }
    }
    return names;
  }

  /** The names the step itself names: its targets after {@code --} (for {@code -U}, every file's package). */
  private static Set<String> named(List<String> step, PacmanPrint.Operation kind, PacmanPrint print) {
    Set<String> named = new LinkedHashSet<>();
    if (kind == PacmanPrint.Operation.UPGRADE_FILES) {
      print.targets().forEach(t -> named.add(t.name()));
      return named;
    }
    int separator = step.indexOf("--");
    if (separator >= 0) {
      named.addAll(step.subList(separator + 1, step.size()));
    }
    return named;
  }

  private static Plan withoutHeld(Plan plan, Set<String> named, Predicate<String> held) {
    List<PlanAction> kept = new ArrayList<>();
    List<String> keptBack = new ArrayList<>(plan.keptBack());
    List<String> pulledIn = new ArrayList<>();
    for (PlanAction action : plan.actions()) {
      boolean incoming = action.kind() != PlanAction.Kind.REMOVE && action.kind() != PlanAction.Kind.PURGE;
      if (incoming && held.test(action.name())) {
        if (named.contains(action.name())) {
          if (!keptBack.contains(action.name())) {
            keptBack.add(action.name());
          }
          continue;
        }
        pulledIn.add(action.name());
      }
      kept.add(action);
    }
    if (!pulledIn.isEmpty()) {
      throw new BackendRefusal(ErrorCode.DEPENDENCY_CONFLICT, "the transaction needs held package(s) "
          + String.join(", ", pulledIn) + " (IgnorePkg or a hold of the agent's); release the hold first",
          new JsonObject().put("held", new JsonArray(pulledIn)));
    }
    return new Plan(kept, keptBack, plan.requiresReboot(), plan.downloadSizeBytes());
  }

  private static PacmanPrint.Operation kind(String operation) {
    if (operation.startsWith("-R")) {
      return PacmanPrint.Operation.REMOVE;
    }
    if (operation.startsWith("-U")) {
      return PacmanPrint.Operation.UPGRADE_FILES;
    }
    return operation.contains("u") ? PacmanPrint.Operation.SYSTEM_UPGRADE : PacmanPrint.Operation.SYNC;
  }

  /**
   * A refused print as a 4xx/5xx answer: pacman's own text classified like a job's (JOB-3), carrying its exit code
   * and first error so that a job refused at preparation gets the same error code as a real run would.
   */
  static BackendRefusal refusal(ProcessResult result) {
    String text = result.stderr().text() + "\n" + result.stdout().text();
    String first = PacmanFailure.firstError(text);
    JobError error = PacmanFailure.classify(result.exitCode(), text);
    ErrorCode code = switch (error == null ? JobError.PKG_MANAGER_ERROR : error) {
      case PKG_NOT_FOUND -> ErrorCode.PKG_NOT_FOUND;
      case PKG_VERSION_NOT_FOUND -> ErrorCode.PKG_VERSION_NOT_FOUND;
      case DEPENDENCY_CONFLICT -> ErrorCode.DEPENDENCY_CONFLICT;
      default -> ErrorCode.BACKEND_UNAVAILABLE;
    };
    String message = code == ErrorCode.BACKEND_UNAVAILABLE ? "pacman refused to plan: " + first : first;
    return new BackendRefusal(code, message, new JsonObject().put("exit_code", result.exitCode())
        .put("pacman_error", first), result.exitCode(), first);
  }
}
