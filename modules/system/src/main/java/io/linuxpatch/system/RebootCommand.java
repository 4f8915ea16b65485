package io.linuxpatch.system;

import java.util.ArrayList;
import java.util.List;

/**
 * The argv of {@code system.reboot_command} for one request: {@code {delay_minutes}} is the only
 * placeholder, replaced by the delay rounded up to whole minutes ({@code shutdown -r +N} counts minutes).
 * Nothing else the client sent (the reason, for one) ever reaches the command line.
 */
final class RebootCommand {

  static final String DELAY_MINUTES = "{delay_minutes}";

  private RebootCommand() {}

  static List<String> argv(List<String> configured, int delaySeconds) {
    String minutes = Integer.toString((Math.max(0, delaySeconds) + 59) / 60);
    List<String> argv = new ArrayList<>(configured.size());
    for (String arg : configured) {
      argv.add(arg.replace(DELAY_MINUTES, minutes));
    }
    return argv;
  }
}
