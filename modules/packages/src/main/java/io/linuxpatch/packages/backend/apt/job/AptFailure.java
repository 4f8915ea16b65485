package io.linuxpatch.packages.backend.apt.job;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.process.ProcessResult;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * The one reading of apt's and dpkg's failure texts: a failed job run (JOB-3) and a refused simulation (a plan's
 * 4xx or 503) are classified by the same rules from their exit code and output. The texts are the ones apt
 * 2.6 and dpkg 1.21 print on this machine kind (shared notes "apt-sandbox", plus the lock texts found by
 * experiment: with {@code DPkg::Lock::Timeout} apt ends with "Unable to acquire the dpkg frontend lock" or
 * "Unable to lock the administration directory" rather than "Could not get lock").
 *
 * <p>The rules are checked in order, most specific first: a maintainer script that failed for lack of
 * permission is a maintainer-script failure, and "Could not get lock … Permission denied" (not root) is a
 * permission problem, not a busy lock.
 */
public final class AptFailure {

  private record Rule(JobError error, List<String> needles) {
  }

  private static final List<Rule> RULES = List.of(
      new Rule(JobError.DPKG_INTERRUPTED, List.of("dpkg was interrupted")),
      new Rule(JobError.MAINTAINER_SCRIPT_FAILED, List.of("subprocess returned error exit status")),
      new Rule(JobError.DISK_FULL, List.of("no space left on device")),
      new Rule(JobError.PERMISSION_DENIED, List.of("permission denied", "are you root")),
      new Rule(JobError.PKG_MANAGER_LOCKED, List.of("could not get lock", "unable to acquire the dpkg frontend lock",
          "unable to lock the administration directory", "unable to lock directory")),
      new Rule(JobError.PKG_NOT_FOUND, List.of("unable to locate package", "has no installation candidate",
          "couldn't find any package")),
      new Rule(JobError.PKG_VERSION_NOT_FOUND, List.of("' was not found")),
      new Rule(JobError.DEPENDENCY_CONFLICT, List.of("unmet dependencies", "unable to correct problems",
          "remove is disabled", "held broken packages", "dependency problems")),
      new Rule(JobError.GPG_ERROR, List.of("is not signed", "no_pubkey", "gpg error",
          "signatures couldn't be verified", "signatures were invalid")),
      new Rule(JobError.NETWORK_ERROR, List.of("failed to fetch", "temporary failure resolving",
          "could not resolve", "could not connect", "connection timed out", "connection refused")));

  private AptFailure() {}

  /**
   * The error of a run that ended with {@code exitCode}; {@code null} when it succeeded. Timeouts, cancels and
   * launch failures are decided by the caller, which knows them without reading the output.
   */
  public static JobError classify(int exitCode, String output) {
    if (exitCode == 0) {
      return null;
    }
    String text = output == null ? "" : output.toLowerCase(Locale.ROOT);
    for (Rule rule : RULES) {
      for (String needle : rule.needles()) {
        if (text.contains(needle)) {
          return rule.error();
        }
      }
    }
    return JobError.PKG_MANAGER_ERROR;
  }

  /**
   * A simulation apt refused, as the plan request's answer: what the client asked for wrongly (an unknown package
   * or version, a conflict) is a 4xx, anything else the host cannot do now is a 503. The refusal keeps apt's exit
   * code and first error, so that a job whose preparation it ends is classified like a real run.
   */
  public static BackendRefusal refusal(ProcessResult result) {
    String err = result.stderr().text();
    String first = firstError(err);
    first = first == null ? "no error text" : first;
    JsonObject details = new JsonObject().put("exit_code", result.exitCode()).put("apt_error", first);
    if (result.timedOut()) {
      return new BackendRefusal(ErrorCode.TIMEOUT, "apt-get did not finish in time", details, result.exitCode(), first);
    }
    ErrorCode code = BackendRefusal.codeOfRefused(classify(result.exitCode() == 0 ? 1 : result.exitCode(), err));
    String message = code == ErrorCode.BACKEND_UNAVAILABLE ? "apt-get failed: " + first : first;
    return new BackendRefusal(code, message, details, result.exitCode(), first);
  }

  /**
   * The job's {@code error} text: apt's first {@code E:} line without the prefix, else dpkg's first
   * {@code dpkg: error} line, else the last non-empty line, else null. apt's status lines (APT::Status-Fd) are
   * never the error text.
   */
  public static String firstError(String output) {
    if (output == null) {
      return null;
    }
    String dpkgError = null;
    String last = null;
    for (String line : output.split("\r?\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("E: ")) {
        return trimmed.substring(3).strip();
      }
      if (dpkgError == null && trimmed.startsWith("dpkg: error")) {
        dpkgError = trimmed;
      }
      if (!trimmed.isEmpty() && !JobOutputListener.isStatusLine(trimmed)) {
        last = trimmed;
      }
    }
    return dpkgError != null ? dpkgError : last;
  }
}
