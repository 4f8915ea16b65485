package io.linuxpatch.packages.backend.apt;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.packages.Severity;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.plan.Plan;
import io.linuxpatch.packages.backend.apt.inventory.Inventory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Dry-run plans (the plan-then-apply paragraph of the SPEC): turns a requested change into apt-get
 * arguments — names validated, {@code name=version} built here from separate fields, always after
 * {@code --} — and answers the transaction apt's simulation would carry out, with a {@code plan_id} over
 * the plan and the package state it was computed on. The job engine will execute exactly this argv.
 */
public final class AptPlanner {

  private final AptBackend backend;
  private final AptPatches patches;
  /**
   * apt's simulation is a function of the package state and the arguments, so a plan computed for the same
   * argv on the same state fingerprint is reused: the job engine plans a change when it is submitted (for the
   * 4xx answers) and again right before it runs (for the before-versions), and with nothing in between
   * that second simulation (tens of milliseconds) would only repeat the first.
   */
  private final RecentPlans recentPlans = new RecentPlans(32);

  public AptPlanner(AptBackend backend, AptPatches patches) {
    this.backend = backend;
    this.patches = patches;
  }

  /** The change as apt-get arguments (without {@code -s}), validated against the current inventory. */
  public List<String> arguments(JsonObject change) throws IOException {
    Inventory inventory = backend.inventory();
    String operation = change.getString("operation", "");
    List<String> args = new ArrayList<>();
    switch (operation) {
      case "install" -> {
        JsonObject options = change.getJsonObject("options", new JsonObject());
        if (options.getBoolean("no_recommends", false)) {
          args.add("--no-install-recommends");
        }
        if (options.getBoolean("allow_downgrade", false)) {
          args.add("--allow-downgrades");
        }
        if (options.getBoolean("reinstall", false)) {
          args.add("--reinstall");
        }
        args.add("install");
        args.add("--");
        args.addAll(targets(change.getJsonArray("packages", new JsonArray()), inventory));
      }
      case "update" -> {
        List<String> targets = targets(change.getJsonArray("packages", new JsonArray()), inventory);
        requireInstalled(change.getJsonArray("packages").getJsonObject(0).getString("name"), inventory);
        args.addAll(List.of("--allow-downgrades", "install", "--only-upgrade", "--"));
        args.addAll(targets);
      }
      case "remove" -> {
        String name = backend.validName(change.getJsonArray("packages").getJsonObject(0).getString("name"), inventory);
        requireInstalled(name, inventory);
        args.add(change.getBoolean("purge", false) ? "purge" : "remove");
        args.add("--");
        args.add(name);
      }
      case "patch_apply" -> {
        List<String> names = patchTargets(change, inventory);
        args.addAll(List.of("install", "--only-upgrade", "--"));
        args.addAll(names);
      }
      default -> throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "unknown operation " + operation,
          new JsonObject().put("field", "operation"));
    }
    return args;
  }

  /** Endpoint 4/5/6/8 with {@code ?dry_run=true}: apt's simulation of the change, and its plan_id. */
  public JsonObject plan(JsonObject change) throws IOException {
    List<String> args = arguments(change);
    String fingerprint = backend.stateFingerprint();
    Plan plan = isEmptyPatchApply(args) ? new Plan(List.of(), List.of(), false, null)
        : recentPlans.computeIfAbsent(fingerprint + '\n' + String.join("\u0000", args), key -> backend.simulate(args));
    String planId = plan.planId(fingerprint);
    String requested = change.getString("plan_id");
    if (requested != null && !requested.equals(planId)) {
      throw new BackendRefusal(ErrorCode.PLAN_STALE, "the package state or the plan changed since plan "
          + requested + " was computed; review the new plan", new JsonObject().put("plan_id", planId));
    }
    return plan.toJson()
        .put("operation", change.getString("operation"))
        .put("plan_id", planId)
        .put("dry_run", true)
        .put("held", new JsonArray(backend.inventory().holds().stream().map(p -> p.name()).toList()));
  }

  private static boolean isEmptyPatchApply(List<String> args) {
    return args.size() == 3 && args.get(2).equals("--");
  }

  private List<String> targets(JsonArray packages, Inventory inventory) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < packages.size(); i++) {
      JsonObject ref = packages.getJsonObject(i);
      String name = backend.validName(ref.getString("name"), inventory);
      String version = ref.getString("version");
      out.add(version == null ? name : name + "=" + AptBackend.validVersion(version));
    }
    if (out.isEmpty()) {
      throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "no package named",
          new JsonObject().put("field", "packages"));
    }
    return out;
  }

  private static void requireInstalled(String name, Inventory inventory) {
    boolean installed = inventory.find(name).map(p -> p.state().current() == io.linuxpatch.packages.backend.apt.inventory.DpkgState.Current.INSTALLED).orElse(false);
    if (!installed) {
      throw new BackendRefusal(ErrorCode.PKG_NOT_FOUND, name + " is not installed",
          new JsonObject().put("name", name));
    }
  }

  /** The packages of the selected patches: all, chosen ids, security only, min severity, minus exclusions. */
  private List<String> patchTargets(JsonObject change, Inventory inventory) throws IOException {
    Set<String> chosen = change.getJsonArray("patches") == null ? null
        : new HashSet<>(change.getJsonArray("patches").stream().map(String::valueOf).toList());
    boolean securityOnly = change.getBoolean("security_only", false);
    Severity minimum = change.getString("min_severity") == null ? null
        : Severity.valueOf(change.getString("min_severity").toUpperCase(Locale.ROOT));
    Set<String> excluded = new HashSet<>();
    for (Object name : change.getJsonArray("exclude_packages", new JsonArray())) {
      excluded.add(backend.validName(String.valueOf(name), inventory));
    }
    List<String> names = new ArrayList<>();
    Set<String> known = new HashSet<>();
    for (JsonObject patch : patches.all()) {
      known.add(patch.getString("id"));
      if (chosen != null && !chosen.contains(patch.getString("id"))) {
        continue;
      }
      if (securityOnly && !patch.getBoolean("security")) {
        continue;
      }
      if (minimum != null && AptPatches.severity(patch).compareTo(minimum) < 0) {
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
