package io.linuxpatch.packages.backend.dnf.job;

import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.packages.BackendRefusal;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies a dnf run (JOB-3) from its exit status and output (stdout and stderr together), on the texts dnf
 * 4.14 and rpm 4.18 print on this machine kind (captured on sandboxes; the table test holds them verbatim).
 *
 * <p>Two dnf habits shape it. A failing {@code %post}/{@code %preun}/{@code %postun} is only a warning for rpm:
 * dnf exits 0 with the package installed, so {@code warning: %post(…) scriptlet failed} makes even a
 * successful exit {@code MAINTAINER_SCRIPT_FAILED} (a failing {@code %pre} fails the transaction, exit 1).
 * And dnf says the same "No match for argument" for an unknown package and for an unknown version of a known
 * one ({@code name-version} is one argument to dnf), so the caller says which arguments carried a version.
 *
 * <p>Rules are checked most specific first: a scriptlet that failed for lack of space or permission is a
 * scriptlet failure. Known gap: with {@code diskspacecheck=0} a full disk only shows as "Error unpacking rpm
 * package", which stays {@code PKG_MANAGER_ERROR}.
 */
public final class DnfFailure {

  private record Rule(JobError error, List<String> needles) {
  }

  /** Checked before "not found": texts that explain a failure whatever else dnf said. */
  private static final List<Rule> RULES = List.of(
      new Rule(JobError.MAINTAINER_SCRIPT_FAILED, List.of("scriptlet failed", "failed to exec scriptlet interpreter",
          " scriptlet in rpm package ")),
      new Rule(JobError.DISK_FULL, List.of("no space left on device", "more space on the ", "more space needed on the ",
          "disk requirements:")),
      new Rule(JobError.PERMISSION_DENIED, List.of("permission denied", "has to be run with superuser privileges",
          "[errno 13]")),
      new Rule(JobError.PKG_MANAGER_LOCKED, List.of("rpmdb already locked by", "can't create transaction lock")),
      new Rule(JobError.GPG_ERROR, List.of("gpg check failed", "is not signed", "public key for ",
          "bad gpg signature", "gpg keys are configured as")),
      new Rule(JobError.NETWORK_ERROR, List.of("curl error", "failed to download metadata", "all mirrors were tried",
          "could not resolve host", "couldn't resolve host", "cannot download")),
      new Rule(JobError.COMMAND_NOT_FOUND, List.of("no such command:")));

  /** Checked after "not found": the solver's problem report. */
  private static final Rule CONFLICT = new Rule(JobError.DEPENDENCY_CONFLICT, List.of(" problem: ", " problem 1: ",
      "conflicting requests", "nothing provides", "conflicts with", "--allowerasing", "is needed by",
      "cannot install the best", "removing the following protected packages"));

  /** {@code No match for argument: X} and {@code No package X available.}: the argument dnf could not match. */
  private static final Pattern UNMATCHED = Pattern.compile(
      "(?m)^(?:No match for argument: (\\S+)|No package (\\S+) available\\.)\\s*$");

  private static final List<String> NOT_FOUND = List.of("unable to find a match", "no match for argument",
      "no packages marked for upgrade", "no packages marked for downgrade", "no packages marked for reinstall");

  private DnfFailure() {
  }

  /** {@link #classify(int, String, Collection)} for a run whose arguments carry no version. */
  public static JobError classify(int exitCode, String output) {
    return classify(exitCode, output, Set.of());
  }

  /**
   * The error of a dnf run; {@code null} when it succeeded. Timeouts, cancels (a lock wait given up included)
   * and launch failures are decided by the caller, which knows them without reading the output.
   *
   * @param output             stdout and stderr
   * @param versionedArguments the {@code name-version} arguments the job passed (e.g. {@code demo-tool-9.9}):
   *                           an unmatched one is {@code PKG_VERSION_NOT_FOUND}, any other {@code PKG_NOT_FOUND}
   */
  public static JobError classify(int exitCode, String output, Collection<String> versionedArguments) {
    String text = output == null ? "" : output;
    String lower = text.toLowerCase(Locale.ROOT);
    if (exitCode == 0) {
      // rpm only warns about a failing %post, and dnf then exits 0 with the package installed
      return lower.contains("scriptlet failed") || lower.contains("failed to exec scriptlet interpreter")
          ? JobError.MAINTAINER_SCRIPT_FAILED : null;
    }
    for (Rule rule : RULES) {
      if (rule.needles().stream().anyMatch(lower::contains)) {
        return rule.error();
      }
    }
    List<String> unmatched = unmatched(text);
    if (!unmatched.isEmpty() || NOT_FOUND.stream().anyMatch(lower::contains)) {
      return unmatched.stream().anyMatch(versionedArguments::contains)
          ? JobError.PKG_VERSION_NOT_FOUND : JobError.PKG_NOT_FOUND;
    }
    if (CONFLICT.needles().stream().anyMatch(lower::contains)) {
      return CONFLICT.error();
    }
    return JobError.PKG_MANAGER_ERROR;
  }

  /**
   * A run of this backend's: the versioned arguments recognised in dnf's own text, as the backend only ever passes
   * a version as a full {@code NAME-EPOCH:VERSION-RELEASE.ARCH} (a colon no package name has) or a cached
   * {@code .rpm}, so an unmatched argument with either is a version dnf could not find.
   */
  public static JobError classifyRun(int exitCode, String output) {
    List<String> versioned = unmatched(output).stream()
        .filter(argument -> argument.contains(":") || argument.endsWith(".rpm")).toList();
    return classify(exitCode, output, versioned);
  }

  /** A simulation dnf refused, as the API error its text says (JOB-3 classification, as a real run). */
  public static BackendRefusal refusal(int exitCode, String output) {
    JobError error = classifyRun(exitCode == 0 ? 1 : exitCode, output);
    String first = firstError(output);
    String message = first == null ? "dnf refused the transaction (exit " + exitCode + ")" : first;
    JsonObject details = new JsonObject().put("exit_code", exitCode).put("dnf_error", first);
    return new BackendRefusal(BackendRefusal.codeOfRefused(error), message, details, exitCode, output);
  }

  /** The arguments dnf said it could not match, in order. */
  public static List<String> unmatched(String output) {
    List<String> arguments = new ArrayList<>();
    Matcher m = UNMATCHED.matcher(output == null ? "" : output);
    while (m.find()) {
      arguments.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return arguments;
  }

  /**
   * The job's {@code error} text: rpm's first {@code error:} line, else dnf's first {@code Error:} line (with
   * the problem lines under an empty one), else dnf's lock refusal, else a scriptlet warning, else the last
   * non-empty line; {@code null} for no output.
   */
  public static String firstError(String output) {
    if (output == null) {
      return null;
    }
    List<String> lines = output.lines().map(String::strip).toList();
    for (String line : lines) {
      if (line.startsWith("error: ")) {
        return line.substring("error: ".length());
      }
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("Error:") || line.startsWith("Config error:")) {
        String message = line.startsWith("Error:") ? line.substring("Error:".length()).strip() : line;
        if (!message.isEmpty()) {
          return message;
        }
        List<String> problem = new ArrayList<>();
        for (int j = i + 1; j < lines.size() && !lines.get(j).isEmpty() && problem.size() < 6; j++) {
          problem.add(lines.get(j));
        }
        if (!problem.isEmpty()) {
          return String.join(" ", problem);
        }
      }
    }
    String last = null;
    String warning = null;
    for (String line : lines) {
      if (line.startsWith("RPMDB already locked by")) {
        return line;
      }
      if (warning == null && line.startsWith("warning: ") && line.contains("scriptlet failed")) {
        warning = line.substring("warning: ".length());
      }
      if (!line.isEmpty()) {
        last = line;
      }
    }
    return warning != null ? warning : last;
  }
}
