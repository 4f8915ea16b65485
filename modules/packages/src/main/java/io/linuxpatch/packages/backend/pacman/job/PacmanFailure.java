package io.linuxpatch.packages.backend.pacman.job;

import io.linuxpatch.contract.jobs.JobError;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Classifies a pacman run (JOB-3) from its exit code and output, with the texts pacman 6.0.2 prints on this
 * machine kind (captured on sandboxes, see the tests' table):
 *
 * <table>
 *   <caption>pacman's texts and the JOB-3 codes they mean</caption>
 *   <tr><th>pacman says (stderr unless noted)</th><th>exit</th><th>code</th></tr>
 *   <tr><td>{@code error: command failed to execute correctly} (a scriptlet or hook returned non-zero),
 *       {@code call to execv failed} (no shell in the root)</td><td><b>0</b></td><td>MAINTAINER_SCRIPT_FAILED</td></tr>
 *   <tr><td>{@code error: Partition … too full}, {@code not enough free disk space} (CheckSpace),
 *       {@code could not extract … (Write failed)}, {@code No space left on device}, curl's {@code Failure
 *       writing output to destination} (a download into a full cache)</td><td>1</td><td>DISK_FULL</td></tr>
 *   <tr><td>{@code error: you cannot perform this operation unless you are root.}, {@code Permission denied}</td>
 *       <td>1</td><td>PERMISSION_DENIED</td></tr>
 *   <tr><td>{@code error: failed to init transaction (unable to lock database)},
 *       {@code error: could not lock database: File exists}</td><td>1</td><td>PKG_MANAGER_LOCKED</td></tr>
 *   <tr><td>{@code error: 'FILE': could not find or read package} ({@code -U} of a cached file that is gone: a
 *       rollback's old version)</td><td>1</td><td>PKG_VERSION_NOT_FOUND</td></tr>
 *   <tr><td>{@code error: target not found: NAME}</td><td>1</td><td>PKG_NOT_FOUND</td></tr>
 *   <tr><td>{@code error: unresolvable package conflicts detected} / {@code failed to prepare transaction
 *       (conflicting dependencies)}; {@code :: removing X breaks dependency 'D' required by Y} (stdout) /
 *       {@code (could not satisfy dependencies)}; {@code unable to satisfy dependency};
 *       {@code (conflicting files)}</td><td>1</td><td>DEPENDENCY_CONFLICT</td></tr>
 *   <tr><td>{@code missing required signature}, {@code invalid or corrupted package (PGP signature)} or
 *       {@code (checksum)}, {@code GPGME error}, {@code unknown trust}, a {@code .sig} that cannot be retrieved,
 *       and a package file pacman cannot open ({@code cannot open package file}, {@code libarchive error}):
 *       the package failed verification</td><td>1</td><td>GPG_ERROR</td></tr>
 *   <tr><td>{@code failed retrieving file 'F' from HOST : Couldn't connect to server} / {@code Could not
 *       resolve host}, {@code (download library error)}, {@code (invalid url for server)}</td>
 *       <td>1</td><td>NETWORK_ERROR</td></tr>
 *   <tr><td>anything else that exits non-zero</td><td>≠0</td><td>PKG_MANAGER_ERROR</td></tr>
 * </table>
 *
 * <p>The rules are checked in this order, most specific first, over stdout and stderr together. The failing
 * scriptlet is the one case with exit status 0: pacman installs the package and carries on, so a job must look at
 * the output even when pacman succeeded. Timeouts, cancels and launch failures are decided by the caller.
 */
public final class PacmanFailure {

  private record Rule(JobError error, List<String> needles, Pattern pattern) {
    boolean matches(String lower) {
      if (pattern != null && pattern.matcher(lower).find()) {
        return true;
      }
      return needles.stream().anyMatch(lower::contains);
    }
  }

  private static final Rule SCRIPTLET = new Rule(JobError.MAINTAINER_SCRIPT_FAILED,
      List.of("command failed to execute correctly", "call to execv failed"), null);

  private static final List<Rule> RULES = List.of(
      SCRIPTLET,
      new Rule(JobError.DISK_FULL, List.of("not enough free disk space", "no space left on device", "(write failed)",
          "failure writing output to destination"),
          Pattern.compile("partition \\S+ too full")),
      new Rule(JobError.PERMISSION_DENIED, List.of("you cannot perform this operation unless you are root",
          "permission denied"), null),
      new Rule(JobError.PKG_MANAGER_LOCKED, List.of("unable to lock database", "could not lock database"), null),
      new Rule(JobError.PKG_VERSION_NOT_FOUND, List.of("could not find or read package"), null),
      new Rule(JobError.PKG_NOT_FOUND, List.of("target not found"), null),
      new Rule(JobError.DEPENDENCY_CONFLICT, List.of("unresolvable package conflicts detected",
          "(conflicting dependencies)", "breaks dependency", "(could not satisfy dependencies)",
          "unable to satisfy dependency", "(conflicting files)", "are in conflict"), null),
      new Rule(JobError.GPG_ERROR, List.of("missing required signature", "invalid or corrupted package",
          "gpgme error", "unknown trust", "marginal trust", "signature from", "unsupported signature format",
          "could not be looked up remotely", "cannot open package file", "libarchive error"),
          Pattern.compile("failed retrieving file '[^']*\\.sig'")),
      new Rule(JobError.NETWORK_ERROR, List.of("failed retrieving file", "could not resolve host",
          "couldn't connect to server", "failed to connect to", "connection timed out", "operation too slow",
          "(download library error)", "(invalid url for server)"), null));

  private PacmanFailure() {
  }

  /**
   * The error of a finished pacman run; {@code null} when it succeeded (exit 0 and no failed scriptlet).
   *
   * @param output stdout and stderr, in any order (each rule looks for its text anywhere)
   */
  public static JobError classify(int exitCode, String output) {
    String lower = output == null ? "" : output.toLowerCase(Locale.ROOT);
    if (exitCode == 0) {
      return SCRIPTLET.matches(lower) ? JobError.MAINTAINER_SCRIPT_FAILED : null;
    }
    for (Rule rule : RULES) {
      if (rule.matches(lower)) {
        return rule.error();
      }
    }
    return JobError.PKG_MANAGER_ERROR;
  }

  /**
   * The job's {@code error} text: pacman's first {@code error:} line without the prefix, else its last non-empty
   * line, else null.
   */
  public static String firstError(String output) {
    if (output == null) {
      return null;
    }
    String last = null;
    for (String line : output.split("\r?\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("error: ")) {
        return trimmed.substring("error: ".length()).strip();
      }
      if (!trimmed.isEmpty()) {
        last = trimmed;
      }
    }
    return last;
  }
}
