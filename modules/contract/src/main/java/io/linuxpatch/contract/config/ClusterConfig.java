package io.linuxpatch.contract.config;

import java.util.List;

/** {@code cluster} section (CLU-1). Disabled by default: then the agent opens no port but the API port. */
public record ClusterConfig(boolean enabled, String name, String host, int port, List<String> members,
    String cert, String key) {

  static ClusterConfig read(ConfigReader r) {
    ClusterConfig c = new ClusterConfig(
        r.bool("enabled", false),
        r.nonEmptyString("name", "linux-patch-api"),
        r.nonEmptyString("host", "127.0.0.1"),
        r.integer("port", 5801, 1, 65535),
        r.stringList("members", List.of("127.0.0.1")),
        r.path("cert", null),
        r.path("key", null));
    r.rejectUnknownKeys();
    return c;
  }
}
