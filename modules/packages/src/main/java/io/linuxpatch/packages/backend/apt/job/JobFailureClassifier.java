package io.linuxpatch.packages.backend.apt.job;

import io.linuxpatch.contract.jobs.JobError;
import java.util.List;
import java.util.Locale;

/**
 * Classifies a failed package-manager run (JOB-3) from its exit code and output. The texts are the ones apt
 * 2.6 and dpkg 1.21 print on this machine kind (shared notes "apt-sandbox", plus the lock texts found by
 * experiment: with {@code DPkg::Lock::Timeout} apt ends with "Unable to acquire the dpkg frontend lock" or
 * "Unable to lock the administration directory" rather than "Could not get lock").
 *
 * <p>The rules are checked in order, most specific first: a maintainer script that failed for lack of
 * permission is a maintainer-script failure, and "Could not get lock … Permission denied" (not root) is a
 * permission problem, not a busy lock.
 */
public final class JobFailureClassifier {

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

  private JobFailureClassifier() {}

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
   * The job's {@code error} text: apt's first {@code E:} line without the prefix, else dpkg's first
   * {@code dpkg: error} line, else the last non-empty line, else null.
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
      if (!trimmed.isEmpty()) {
        last = trimmed;
      }
    }
    return dpkgError != null ? dpkgError : last;
  }
}
