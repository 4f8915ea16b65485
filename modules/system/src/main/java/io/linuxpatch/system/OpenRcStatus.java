package io.linuxpatch.system;

import io.linuxpatch.contract.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns {@code rc-service NAME status} output ({@code  * status: started}) into a {@link ServiceState} in
 * systemd's vocabulary, so that clients see one shape whatever the init system.
 */
final class OpenRcStatus {

  private static final Pattern STATUS = Pattern.compile("status:\\s*(\\S+)");

  private OpenRcStatus() {}

  static ServiceState parse(String name, String output, Path runlevels) {
    Matcher m = STATUS.matcher(output);
    if (!m.find()) {
      if (output.contains("does not exist")) {
        throw new ServiceQueryException(ErrorCode.SERVICE_NOT_FOUND, "no service named " + name + " is known to OpenRC");
      }
      throw new ServiceQueryException(ErrorCode.BACKEND_UNAVAILABLE,
          "rc-service " + name + " status printed no status line: " + output.strip());
    }
    String word = m.group(1).toLowerCase(Locale.ROOT);
    String active = switch (word) {
      case "started" -> "active";
      case "starting" -> "activating";
      case "stopping" -> "deactivating";
      case "crashed" -> "failed";
      default -> "inactive";
    };
    return new ServiceState(name, null, "loaded", active, word, enabled(name, runlevels), null);
  }

  /** Enabled means linked into some runlevel ({@code rc-update add}), which OpenRC keeps as files. */
  static String enabled(String name, Path runlevels) {
    if (runlevels == null || !Files.isDirectory(runlevels)) {
      return null;
    }
    try (Stream<Path> levels = Files.list(runlevels)) {
      return levels.anyMatch(level -> Files.exists(level.resolve(name), LinkOption.NOFOLLOW_LINKS))
          ? "enabled" : "disabled";
    } catch (IOException e) {
      return null;
    }
  }
}
