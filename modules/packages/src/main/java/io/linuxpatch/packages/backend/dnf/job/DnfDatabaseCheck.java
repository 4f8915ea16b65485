package io.linuxpatch.packages.backend.dnf.job;

import io.linuxpatch.packages.backend.dnf.DnfCommands;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the rpm database after a dnf run was interrupted (timeout, cancel, agent restart: JOB-5, JOB-7) and repairs
 * what an interrupted rpm transaction leaves: a damaged database ({@code rpm --verifydb} fails; {@code rpm
 * --rebuilddb} rebuilds it) and duplicate packages (an upgrade cut between installing the new version and erasing
 * the old one; {@code dnf check --duplicates} finds them, {@code dnf remove --duplicates} erases the older ones).
 * A scriptlet that was cut short leaves nothing rpm could finish: rpm has no half-configured state. Blocking.
 *
 * <p>The same checks decide the steps of a {@code repair} job ({@link #repairSteps}): the repairs that are needed,
 * then {@code dnf check}, whose report of remaining dependency problems fails the job when there are any.
 */
public final class DnfDatabaseCheck {

  private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(5);
  /** Erasing duplicates runs scriptlets; JOB-5's job timeout is the bound for those. */
  private static final Duration REPAIR_TIMEOUT = Duration.ofMinutes(30);
  /**
   * The longest {@link #run} can take: a verify and a duplicates check, then a rebuild, a verify, a removal of
   * duplicates and a duplicates check again, each to its timeout.
   */
  public static final Duration WORST_CASE = CHECK_TIMEOUT.multipliedBy(4).plus(REPAIR_TIMEOUT.multipliedBy(2));

  private final DnfCommands commands;
  private final ProcessRunner runner;

  public DnfDatabaseCheck(DnfCommands commands, ProcessRunner runner) {
    this.commands = commands;
    this.runner = runner;
  }

  /** {@code {"interrupted", "repaired", "logs"}} as {@code PACKAGES_CHECK_DATABASE} answers. */
  public JsonObject run() {
    List<String> logs = new ArrayList<>();
    boolean damaged = !verify(logs);
    List<String> duplicates = duplicates(logs);
    if (!damaged && duplicates.isEmpty()) {
      logs.add("database check: rpm --verifydb and dnf check --duplicates report nothing; no repair needed");
      return result(false, false, logs);
    }
    boolean repaired = true;
    if (damaged) {
      logs.add("database check: rpm --verifydb failed; running rpm --rebuilddb");
      repaired = log(runner.run(commands.spec(rebuild(), REPAIR_TIMEOUT)), "rpm --rebuilddb", logs) && verify(logs);
    }
    if (!duplicates.isEmpty()) {
      logs.add("database check: duplicate packages left by an interrupted upgrade: " + String.join(", ", duplicates)
          + "; running dnf remove --duplicates");
      repaired &= log(runner.run(commands.spec(removeDuplicates(), REPAIR_TIMEOUT)), "dnf remove --duplicates", logs)
          && duplicates(logs).isEmpty();
    }
    logs.add(repaired ? "database check: repaired" : "database check: the rpm database is still not clean");
    return result(true, repaired, logs);
  }

  /** The steps of a repair job: what the database needs now, then dnf's own consistency check. */
  public List<List<String>> repairSteps() {
    List<String> ignored = new ArrayList<>();
    List<List<String>> steps = new ArrayList<>();
    if (!verify(ignored)) {
      steps.add(rebuild());
    }
    if (!duplicates(ignored).isEmpty()) {
      steps.add(removeDuplicates());
    }
    steps.add(commands.dnf("-C", "check"));
    return steps;
  }

  private boolean verify(List<String> logs) {
    ProcessResult result = runner.run(commands.spec(commands.rpm("--verifydb"), CHECK_TIMEOUT));
    return log(result, "rpm --verifydb", logs);
  }

  /** The duplicates {@code dnf check --duplicates} reports, one line each. */
  private List<String> duplicates(List<String> logs) {
    ProcessResult result = runner.run(commands.spec(commands.dnf("-C", "-q", "check", "--duplicates"), CHECK_TIMEOUT));
    List<String> found = new ArrayList<>();
    for (String line : (result.stdout().text() + "\n" + result.stderr().text()).split("\n")) {
      if (line.contains(" is a duplicate with ")) {
        found.add(line.strip());
      }
    }
    if (!result.succeeded() && found.isEmpty()) {
      logs.add("database check: dnf check --duplicates exited " + result.exitCode() + ": "
          + result.stderr().text().strip());
    }
    return found;
  }

  private List<String> rebuild() {
    return commands.rpm("--rebuilddb");
  }

  private List<String> removeDuplicates() {
    return commands.dnf("-C", "-y", "remove", "--duplicates");
  }

  private static boolean log(ProcessResult result, String what, List<String> logs) {
    result.stdout().lines().forEach(l -> logs.add(what + ": " + l));
    result.stderr().lines().forEach(l -> logs.add(what + ": " + l));
    return result.succeeded();
  }

  private static JsonObject result(boolean interrupted, boolean repaired, List<String> logs) {
    return new JsonObject().put("interrupted", interrupted).put("repaired", repaired).put("logs", new JsonArray(logs));
  }
}
