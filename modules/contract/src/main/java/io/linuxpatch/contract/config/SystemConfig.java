package io.linuxpatch.contract.config;

import java.util.List;

/**
 * {@code system} section: the reboot command (argv, no shell; {@code {delay_minutes}} is replaced) and the
 * files the reboot-required check reads, which tests and developer mode point elsewhere.
 */
public record SystemConfig(List<String> rebootCommand, String rebootRequiredFile) {

  static SystemConfig read(ConfigReader r) {
    List<String> command = r.stringList("reboot_command", List.of("/sbin/shutdown", "-r", "+{delay_minutes}"));
    if (command.isEmpty()) {
      r.problem("reboot_command", "must name a program");
    } else if (!command.get(0).startsWith("/")) {
      r.problem("reboot_command", "the program must be an absolute path, got \"" + command.get(0) + "\"");
    }
    SystemConfig c = new SystemConfig(command, r.path("reboot_required_file", "/run/reboot-required"));
    r.rejectUnknownKeys();
    return c;
  }
}
