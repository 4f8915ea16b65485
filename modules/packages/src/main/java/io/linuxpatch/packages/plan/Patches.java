package io.linuxpatch.packages.plan;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.ListPage;
import io.linuxpatch.contract.packages.Severity;
import io.linuxpatch.packages.BackendRefusal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What every backend's patch list answers alike: endpoint 7's filters, sort and paging (API-6), and the packages a
 * patch run selects ({@code patches}, {@code security_only}, {@code min_severity}, {@code exclude_packages}).
 */
public final class Patches {

  private Patches() {}

  /** Endpoint 7 over {@code all}: filters {@code severity}, {@code security}, {@code package}; sort; paging. */
  public static JsonObject query(List<JsonObject> all, JsonObject q) {
    List<JsonObject> selected = new ArrayList<>();
    for (JsonObject patch : all) {
      if (q.getString("severity") != null && !q.getString("severity").equals(patch.getString("severity"))) {
        continue;
      }
      if (q.getBoolean("security") != null && !q.getBoolean("security").equals(patch.getBoolean("security"))) {
        continue;
      }
      if (q.getString("package") != null && patch.getJsonArray("packages").stream()
          .noneMatch(p -> q.getString("package").equals(((JsonObject) p).getString("name")))) {
        continue;
      }
      selected.add(patch);
    }
    Comparator<JsonObject> order = switch (q.getString("sort", "id")) {
      case "severity" -> Comparator.comparing((JsonObject p) -> severity(p).ordinal()).reversed()
          .thenComparing(p -> p.getString("id"));
      case "package" -> Comparator.comparing(p -> p.getJsonArray("packages").getJsonObject(0).getString("name"));
      default -> Comparator.comparing(p -> p.getString("id"));
    };
    if ("desc".equals(q.getString("order"))) {
      order = order.reversed();
    }
    selected.sort(order);
    // No copies here: the answer reaches the HTTP verticle over the event bus, whose JsonObject codec
    // delivers a deep copy, so the cached patches cannot be changed by whoever edits the answer.
    return ListPage.of("patches", selected, q, patch -> patch);
  }

  /** A patch's severity. */
  public static Severity severity(JsonObject patch) {
    return Severity.valueOf(patch.getString("severity").toUpperCase(Locale.ROOT));
  }

  /**
   * The packages a patch run ({@code POST /api/v1/patches/apply}) selects from {@code all}: the chosen ids (all
   * when none are named), security ones only, from a minimum severity, minus exclusions, in patch order without
   * repeats. An id that names no available patch is a 400.
   *
   * @param validName checks an excluded name with the backend's rules (SEC-9) and returns it
   */
  public static List<String> selectPackages(List<JsonObject> all, JsonObject change,
      UnaryOperator<String> validName) {
    Set<String> chosen = change.getJsonArray("patches") == null ? null
        : new HashSet<>(change.getJsonArray("patches").stream().map(String::valueOf).toList());
    boolean securityOnly = change.getBoolean("security_only", false);
    Severity minimum = change.getString("min_severity") == null ? null
        : Severity.valueOf(change.getString("min_severity").toUpperCase(Locale.ROOT));
    Set<String> excluded = new HashSet<>();
    for (Object name : change.getJsonArray("exclude_packages", new JsonArray())) {
      excluded.add(validName.apply(String.valueOf(name)));
    }
    Predicate<JsonObject> selected = patch -> (chosen == null || chosen.contains(patch.getString("id")))
        && (!securityOnly || patch.getBoolean("security"))
        && (minimum == null || severity(patch).compareTo(minimum) >= 0);
    List<String> names = new ArrayList<>();
    Set<String> known = new HashSet<>();
    for (JsonObject patch : all) {
      known.add(patch.getString("id"));
      if (!selected.test(patch)) {
        continue;
      }
      for (Object p : patch.getJsonArray("packages")) {
        String name = ((JsonObject) p).getString("name");
        if (!excluded.contains(name) && !names.contains(name)) {
          names.add(name);
        }
      }
    }
    if (chosen != null) {
      List<String> unknown = chosen.stream().filter(id -> !known.contains(id)).sorted().toList();
      if (!unknown.isEmpty()) {
        throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "no such available patch: " + String.join(", ", unknown),
            new JsonObject().put("field", "patches").put("unknown", new JsonArray(unknown)));
      }
    }
    return names;
  }
}
