package io.linuxpatch.packages.backend;

import io.linuxpatch.contract.EncodedJson;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.contract.packages.Backend;
import io.linuxpatch.packages.job.JobLog;
import io.linuxpatch.packages.job.PackageSnapshot;
import io.linuxpatch.packages.plan.Plan;
import io.linuxpatch.process.ProcessResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The seam between the agent and one host package manager (PKG-1): what each backend (apt, dnf, pacman) gives,
 * while plan ids, PLAN_STALE, patch filtering and paging ({@code plan}) and the job loop ({@code job}) are written
 * once beside it. Every method may block (files, child processes): PackageVerticle calls them from worker threads;
 * reads must be safe from several threads at once.
 *
 * <p>A backend refuses bad input with {@link io.linuxpatch.packages.BackendRefusal} (an API error code and
 * details), never by running its package manager on it: names are checked against its SEC-9 rules first, and
 * always follow {@code --} in an argv.
 */
public interface PackageBackend {

  /** Which package-manager family this is. */
  Backend kind();

  /** One line for the {@code package_manager} health check, e.g. {@code apt/dpkg on /}. */
  String description();

  /** Applies a reloaded configuration where the backend can without a restart (e.g. the advisory feed). */
  default void reconfigure(AgentConfig config) {
  }

  // --- reads (endpoints 2, 3, holds, kernels) ----------------------------------------------------------

  /** Endpoint 2 for the already validated query, encoded once per distinct query and package state. */
  EncodedJson list(JsonObject query) throws IOException;

  /** Endpoint 3; PKG_NOT_FOUND when neither the database nor the repositories know {@code name}. */
  JsonObject details(String name, boolean files) throws IOException;

  /** The held packages: {@code {"name", "version", "mechanism"}} each, by name. */
  List<JsonObject> holds() throws IOException;

  /** The installed kernels and the newest of them (PKG-4): {@code {"installed": [...], "newest"}}. */
  JsonObject kernels() throws IOException;

  /** How many packages are installed (MET-1's {@code lpa_packages_installed}). */
  long installedCount() throws IOException;

  // --- updates and plans (endpoints 4–8, 16) --------------------------------------------------------------

  /**
   * Every available update as endpoint 7 shows it ({@code id, severity, security, cve_ids, packages,
   * requires_reboot, source, classification}), from the package manager's own view (holds honoured), each
   * classified by where it comes from or by its advisory, never by name. Cached per package state.
   */
  List<JsonObject> patches() throws IOException;

  /** Identifies the package database and repository metadata a plan was computed on (PLAN_STALE). */
  String stateFingerprint() throws IOException;

  /**
   * The package-manager arguments of an install, update or remove ({@code operation} plus the request's
   * fields), every name and version validated.
   */
  Transaction transaction(JsonObject change) throws IOException;

  /** {@code name} when it passes the backend's SEC-9 rules, else a 400 refusal naming the rule. */
  String validName(String name) throws IOException;

  /** The arguments that upgrade exactly these installed packages (a patch run). */
  Transaction upgrade(List<String> names) throws IOException;

  /**
   * The transaction that reverts what a job changed (JOB-8), every old version checked obtainable first:
   * PKG_VERSION_NOT_FOUND naming the packages when one is not, PLAN_STALE when a later change touched them.
   */
  Transaction rollback(JsonArray changes) throws IOException;

  /** The package manager's own simulation of {@code transaction}: exactly what it would do. */
  Plan simulate(Transaction transaction);

  /** The held packages' names, for a plan's {@code held}. */
  default List<String> heldNames() throws IOException {
    return holds().stream().map(h -> h.getString("name")).toList();
  }

  // --- jobs (JOB-1 … JOB-8) -------------------------------------------------------------------------------

  /** The argv of each step that carries out {@code transaction} for real, without prompting. */
  List<List<String>> run(Transaction transaction, long lockWaitSeconds);

  /** The steps of {@code cache_refresh} (endpoint 16). */
  List<List<String>> refreshCache(long lockWaitSeconds);

  /** The steps of {@code repair}: finish or undo what an interrupted run left. */
  List<List<String>> repair(long lockWaitSeconds);

  /** Extra environment for every child ({@code package_manager.env}, e.g. a sandbox's APT_CONFIG or HOME). */
  Map<String, String> environment();

  /**
   * For a package manager that never waits for its own lock (pacman): the lock the engine waits for before each
   * step. Empty for managers that wait themselves (apt's {@code DPkg::Lock::Timeout}) or say so in their output
   * ({@link JobOutput#lockWaitSince}).
   */
  default Optional<ForeignLockWait> foreignLock() {
    return Optional.empty();
  }

  /** Reads a running job's output: progress, lock waits, and everything else into {@code log}. */
  JobOutput output(JobLog log, Consumer<JsonObject> progress);

  /** JOB-3 from a package manager's exit code and text: null when it succeeded. */
  JobError classify(int exitCode, String output);

  /**
   * JOB-3: the error of a finished step, or null when it succeeded. A backend may name an error for a run that
   * exited 0 (dnf and pacman report a failed scriptlet that way).
   */
  default JobError classify(ProcessResult result, JobOutput output) {
    return classify(result.exitCode(), result.stdout().text() + "\n" + output.reportedErrors() + "\n"
        + result.stderr().text());
  }

  /** The job's {@code error} text from a failed step's output. */
  String firstError(String output);

  /** What the package database says is on disk now, read from the database itself (not a cache). */
  PackageSnapshot snapshot() throws IOException;

  /** The package manager's version order, for snapshots and advisories. */
  Comparator<String> versionOrder();

  /**
   * How long this backend may need, after the engine terminated one of its runs (timeout, cancel) or after a
   * restart, to end what is left and check and repair its database ({@link #checkDatabase}): the job engine waits
   * this long beyond a job's timeout before it gives up on the run's outcome and starts the next job. A backend
   * that knows its own bounds says so; the default is generous, as waiting too long only delays a hung engine's
   * next job, while too short would start it beside a repair still running.
   */
  default Duration recoveryBudget() {
    return DEFAULT_RECOVERY_BUDGET;
  }

  /** {@link #recoveryBudget} of a backend that does not name its own. */
  Duration DEFAULT_RECOVERY_BUDGET = Duration.ofMinutes(36);

  /** What a recovery budget adds to a database check's worst case: the kill grace and reading the changes back. */
  Duration RECOVERY_MARGIN = Duration.ofMinutes(2);

  /**
   * Checks the database after an interrupted run (timeout, cancel, agent restart) and repairs it when the run
   * left work half done: {@code {"interrupted", "repaired", "logs"}}.
   */
  JsonObject checkDatabase();

  /** Holds or releases an installed package: {@code {"name", "held", "changed"}}. */
  JsonObject hold(String name, boolean hold) throws IOException;
}
