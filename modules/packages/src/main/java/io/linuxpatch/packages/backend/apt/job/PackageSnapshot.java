package io.linuxpatch.packages.backend.apt.job;

import io.linuxpatch.packages.backend.apt.inventory.DpkgPackage;
import io.linuxpatch.packages.backend.apt.inventory.DpkgState;
import io.linuxpatch.packages.backend.apt.inventory.DpkgStatusParser;
import io.linuxpatch.packages.backend.apt.version.DebianVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What dpkg's database says is on disk at one moment: name → version and whether the package is present
 * (files on disk, possibly half-configured) or only its configuration files are left. A job's {@code changes}
 * (JOB-2) are the difference of two snapshots, so they say what really changed, not what apt planned.
 *
 * <p>Read straight from the status file rather than through the inventory cache: the cache's stamps could
 * pair a write within the same clock tick with the old content.
 */
public final class PackageSnapshot {

  /** One package's entry; {@code present} false means dpkg's {@code config-files} state. */
  record Entry(String version, boolean present) {
  }

  private final Map<String, Entry> packages;

  private PackageSnapshot(Map<String, Entry> packages) {
    this.packages = packages;
  }

  public static PackageSnapshot read(Path statusFile) throws IOException {
    Map<String, Entry> packages = new TreeMap<>();
    byte[] bytes = Files.readAllBytes(statusFile);
    for (DpkgPackage p : new DpkgStatusParser().parse(statusFile.getFileName().toString(), bytes).packages()) {
      DpkgState state = p.state();
      if (p.version().isEmpty() || state.current() == DpkgState.Current.NOT_INSTALLED) {
        continue;
      }
      // Multi-arch instances of one name are keyed by name:arch only when the plain name is taken.
      String key = packages.containsKey(p.name()) ? p.qualifiedName() : p.name();
      packages.put(key, new Entry(p.versionText(), state.isPresent()));
    }
    return new PackageSnapshot(packages);
  }

  Map<String, Entry> packages() {
    return packages;
  }

  /**
   * The state a plan was computed on, for the packages it touches: what the job engine keeps of a running job
   * (JOB-7), so that after a crash what really changed can still be read back and rolled back. An install
   * starts from "not installed", every other action from its {@code from_version}.
   */
  public static PackageSnapshot beforePlan(JsonObject plan) {
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
    return new PackageSnapshot(packages);
  }

  /** The names a plan touches. */
  public static java.util.Set<String> namesOf(JsonObject plan) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    for (String kind : PLAN_KINDS) {
      for (Object item : plan.getJsonArray(kind, new JsonArray())) {
        names.add(((JsonObject) item).getString("name"));
      }
    }
    return names;
  }

  /** This snapshot limited to {@code names}. */
  public PackageSnapshot only(java.util.Set<String> names) {
    Map<String, Entry> kept = new TreeMap<>(packages);
    kept.keySet().retainAll(names);
    return new PackageSnapshot(kept);
  }

  private static final List<String> PLAN_KINDS = List.of("install", "upgrade", "downgrade", "reinstall", "remove");

  /**
   * What changed from {@code before} to this snapshot, sorted by name: {@code install} (newly present),
   * {@code upgrade} / {@code downgrade} (by dpkg's version order), {@code remove} (configuration files left),
   * {@code purge} (gone). A reinstall of the same version is not a change. A package that had only its
   * configuration files left and is now gone was not installed before either, so it is not listed: a
   * rollback would otherwise install it.
   */
  public JsonArray changesSince(PackageSnapshot before) {
    JsonArray changes = new JsonArray();
    TreeMap<String, Boolean> names = new TreeMap<>();
    before.packages.keySet().forEach(n -> names.put(n, true));
    packages.keySet().forEach(n -> names.put(n, true));
    for (String name : names.keySet()) {
      Entry from = before.packages.get(name);
      Entry to = packages.get(name);
      boolean wasPresent = from != null && from.present();
      boolean isPresent = to != null && to.present();
      String action;
      if (!wasPresent && isPresent) {
        action = "install";
        from = null;
      } else if (wasPresent && isPresent) {
        int order = DebianVersion.parse(to.version()).compareTo(DebianVersion.parse(from.version()));
        if (order == 0) {
          continue;
        }
        action = order > 0 ? "upgrade" : "downgrade";
      } else if (wasPresent) {
        action = to == null ? "purge" : "remove";
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
