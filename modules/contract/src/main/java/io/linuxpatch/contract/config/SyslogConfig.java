package io.linuxpatch.contract.config;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * {@code logging.syslog} (AUD-3): where a copy of every audit record goes, over UDP (RFC 3164, as logback's
 * SyslogAppender sends it). Absent or {@code false}: no copy; {@code true}: the defaults below; or a section.
 *
 * @param host     syslog host (default 127.0.0.1)
 * @param port     UDP port (default 514)
 * @param facility syslog facility name, upper case (default AUTH)
 */
public record SyslogConfig(String host, int port, String facility) {

  /** The facilities logback's SyslogAppender knows. */
  public static final List<String> FACILITIES = List.of("KERN", "USER", "MAIL", "DAEMON", "AUTH", "SYSLOG", "LPR",
      "NEWS", "UUCP", "CRON", "AUTHPRIV", "FTP", "NTP", "AUDIT", "ALERT", "CLOCK", "LOCAL0", "LOCAL1", "LOCAL2",
      "LOCAL3", "LOCAL4", "LOCAL5", "LOCAL6", "LOCAL7");

  public static final SyslogConfig DEFAULTS = new SyslogConfig("127.0.0.1", 514, "AUTH");

  /** Reads {@code key} of {@code parent}: null when the copy is off. */
  static SyslogConfig read(ConfigReader parent, String key) {
    Object raw = parent.raw(key);
    if (raw == null || Boolean.FALSE.equals(raw)) {
      return null;
    }
    if (Boolean.TRUE.equals(raw)) {
      return DEFAULTS;
    }
    if (!(raw instanceof JsonObject)) {
      parent.problem(key, "must be false, true or a section {host, port, facility}");
      return null;
    }
    ConfigReader r = parent.section(key);
    String host = r.nonEmptyString("host", DEFAULTS.host());
    int port = r.integer("port", DEFAULTS.port(), 1, 65535);
    String facility = r.nonEmptyString("facility", DEFAULTS.facility()).toUpperCase(Locale.ROOT);
    if (!FACILITIES.contains(facility)) {
      r.problem("facility", "must be one of " + String.join(", ", FACILITIES) + ", got \"" + facility + "\"");
      facility = DEFAULTS.facility();
    }
    r.rejectUnknownKeys();
    return new SyslogConfig(host, port, facility);
  }
}
