package io.linuxpatch.fleet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which patches {@code fleet plan} and {@code fleet apply} ask every host for: the body of
 * {@code POST /api/v1/patches/apply} (endpoint 8) without the {@code plan_id}.
 */
public final class PatchSelection {

  @Option(names = "--security-only", description = "security updates only")
  boolean securityOnly;

  @Option(names = "--min-severity", paramLabel = "S", description = "only patches of severity S or higher: critical, "
      + "high, medium, low, unknown")
  String minSeverity;

  @Option(names = "--exclude", paramLabel = "PACKAGE", arity = "1..*", description = "packages left alone")
  List<String> exclude = new ArrayList<>();

  @Option(names = "--allow-reboot", description = "let the agents reboot when a patch needs it")
  boolean allowReboot;

  /** The request body this selection stands for. */
  public JsonObject request() {
    JsonObject body = new JsonObject();
    if (securityOnly) {
      body.put("security_only", true);
    }
    if (minSeverity != null) {
      body.put("min_severity", minSeverity);
    }
    if (!exclude.isEmpty()) {
      body.put("exclude_packages", new JsonArray(new ArrayList<>(exclude)));
    }
    if (allowReboot) {
      body.put("allow_reboot", true);
    }
    return body;
  }
}
