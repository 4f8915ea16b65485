package io.linuxpatch.packages.job;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a package database says is on disk at one moment: name → version and whether the package is present
 * (files on disk, possibly half configured) or only its configuration files are left (dpkg's {@code
 * config-files}; other managers have no such state). A job's {@code changes} (JOB-2) are the difference of two
 * snapshots, so they say what really changed, not what was planned. Written once for every backend: each reads
 * its database into one and gives its version order.
 */
public final class PackageSnapshot {

  /** One package's entry; {@code present} false means only its configuration files are left. */
  public record Entry(String version, boolean present) {
  }

  private static final List<String> PLAN_KINDS = List.of("install", "upgrade", "downgrade", "reinstall", "remove");

  private final Map<String, Entry> packages;
  private final Comparator<String> versions;
  private final boolean keepsConfigFiles;

  /**
   * @param packages         by name (a second architecture of one name under {@code name:arch})
   * @param versions         the package manager's version order
   * @param keepsConfigFiles whether a removed package can stay behind with its configuration files (dpkg): then a
   *                         package gone from the database was purged; otherwise (rpm, pacman) it was removed
   */
  public PackageSnapshot(Map<String, Entry> packages, Comparator<String> versions, boolean keepsConfigFiles) {
    this.packages = new TreeMap<>(packages);
    this.versions = versions;
    this.keepsConfigFiles = keepsConfigFiles;
  }

  /**
   * The state a plan was computed on, for the packages it touches: what the job engine keeps of a running job
   * (JOB-7), so that after a crash what really changed can still be read back and rolled back. An install
   * starts from "not installed", every other action from its {@code from_version}.
   */
  public static PackageSnapshot beforePlan(JsonObject plan, Comparator<String> versions) {
    Map<String, Entry> packages = new TreeMap<>();
    for (String kind : PLAN_KINDS) {
      for (Object item : plan.getJsonArray(kind, new JsonArray())) {
        JsonObject action = (JsonObject) item;
        String from = action.getString("from_version");
        if (from != null) {
          packages.put(action.getString("name"), new Entry(from, true));
        }
      }
    }
    return new PackageSnapshot(packages, versions, false);
  }

  /** The names a plan touches. */
  public static Set<String> namesOf(JsonObject plan) {
    Set<String> names = new TreeSet<>();
    for (String kind : PLAN_KINDS) {
      for (Object item : plan.getJsonArray(kind, new JsonArray())) {
        names.add(((JsonObject) item).getString("name"));
      }
    }
    return names;
  }

  /** This snapshot limited to {@code names}. */
  public PackageSnapshot only(Set<String> names) {
    Map<String, Entry> kept = new TreeMap<>(packages);
    kept.keySet().retainAll(names);
    return new PackageSnapshot(kept, versions, keepsConfigFiles);
  }

  /** The entries by name. */
  public Map<String, Entry> packages() {
    return packages;
  }

  /**
   * What changed from {@code before} to this snapshot, sorted by name: {@code install} (newly present),
   * {@code upgrade} / {@code downgrade} (by the package manager's version order), {@code remove} (configuration
   * files left), {@code purge} (gone). A reinstall of the same version is not a change. A package that had only
   * its configuration files left and is now gone was not installed before either, so it is not listed: a
   * rollback would otherwise install it. For managers without a config-files state a removal is {@code remove}.
   */
  public JsonArray changesSince(PackageSnapshot before) {
    JsonArray changes = new JsonArray();
    TreeSet<String> names = new TreeSet<>(before.packages.keySet());
    names.addAll(packages.keySet());
    for (String name : names) {
      Entry from = before.packages.get(name);
      Entry to = packages.get(name);
      boolean wasPresent = from != null && from.present();
      boolean isPresent = to != null && to.present();
      String action;
      if (!wasPresent && isPresent) {
        action = "install";
        from = null;
      } else if (wasPresent && isPresent) {
        int order = versions.compare(to.version(), from.version());
        if (order == 0) {
          continue;
        }
        action = order > 0 ? "upgrade" : "downgrade";
      } else if (wasPresent) {
        action = to == null && keepsConfigFiles ? "purge" : "remove";
        to = null;
      } else {
        continue;
      }
      changes.add(new JsonObject()
          .put("name", name)
          .put("action", action)
          .put("from_version", from == null ? null : from.version())
          .put("to_version", to == null ? null : to.version()));
    }
    return changes;
  }

}
