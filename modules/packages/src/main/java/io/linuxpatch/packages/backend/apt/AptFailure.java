package io.linuxpatch.packages.backend.apt;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.process.ProcessResult;
import io.vertx.core.json.JsonObject;

/**
 * Classifies a failed apt-get run from its exit code and output, with the texts listed in the notes of
 * this machine kind (apt 2.6): what the client did wrong is a 4xx, what the host cannot do is a 503.
 */
final class AptFailure {

  private AptFailure() {}

  static BackendRefusal of(ProcessResult result) {
    String err = result.stderr().text();
    String first = firstErrorLine(err);
    JsonObject details = new JsonObject().put("exit_code", result.exitCode()).put("apt_error", first);
    if (result.timedOut()) {
      return new BackendRefusal(ErrorCode.TIMEOUT, "apt-get did not finish in time", details, result.exitCode(), first);
    }
    if (err.contains("Unable to locate package")) {
      return new BackendRefusal(ErrorCode.PKG_NOT_FOUND, first, details, result.exitCode(), first);
    }
    if (err.contains("' was not found") && err.contains("Version '")) {
      return new BackendRefusal(ErrorCode.PKG_VERSION_NOT_FOUND, first, details, result.exitCode(), first);
    }
    if (err.contains("Unable to correct problems") || err.contains("unmet dependencies")
        || err.contains("remove is disabled")) {
      return new BackendRefusal(ErrorCode.DEPENDENCY_CONFLICT, first, details, result.exitCode(), first);
    }
    return new BackendRefusal(ErrorCode.BACKEND_UNAVAILABLE, "apt-get failed: " + first, details, result.exitCode(), first);
  }

  private static String firstErrorLine(String stderr) {
    for (String line : stderr.split("\n")) {
      if (line.startsWith("E: ")) {
        return line.substring(3).trim();
      }
    }
    String trimmed = stderr.trim();
    return trimmed.isEmpty() ? "no error text" : trimmed.lines().findFirst().orElse(trimmed);
  }
}
