package io.linuxpatch.system;

import io.linuxpatch.contract.ErrorCode;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the {@code Key=Value} lines of {@code systemctl show}. Values may contain {@code =} (descriptions
 * do), so only the first one splits; lines without one are ignored rather than failing the answer.
 */
final class SystemctlShow {

  /** The properties asked for, in the form {@code --property=} takes. */
  static final String PROPERTIES = "Id,Description,LoadState,ActiveState,SubState,UnitFileState,MainPID";

  private SystemctlShow() {}

  static Map<String, String> properties(String output) {
    Map<String, String> props = new HashMap<>();
    for (String line : output.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        props.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      }
    }
    return props;
  }

  /**
   * The service state, or a {@link ServiceQueryException} with SERVICE_NOT_FOUND when systemd knows no such
   * unit (systemctl show exits 0 and says {@code LoadState=not-found}).
   */
  static ServiceState parse(String requestedName, String output) {
    Map<String, String> p = properties(output);
    String loadState = p.get("LoadState");
    if (loadState == null) {
      throw new ServiceQueryException(ErrorCode.BACKEND_UNAVAILABLE,
          "systemctl show answered without a LoadState for " + requestedName);
    }
    if (loadState.equals("not-found")) {
      throw new ServiceQueryException(ErrorCode.SERVICE_NOT_FOUND,
          "no service named " + requestedName + " is known to systemd");
    }
    String id = blankToNull(p.get("Id"));
    return new ServiceState(
        id == null ? requestedName : id,
        blankToNull(p.get("Description")),
        loadState,
        blankToNull(p.get("ActiveState")),
        blankToNull(p.get("SubState")),
        blankToNull(p.get("UnitFileState")),
        mainPid(p.get("MainPID")));
  }

  private static Long mainPid(String value) {
    if (value == null) {
      return null;
    }
    try {
      long pid = Long.parseLong(value);
      return pid > 0 ? pid : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
