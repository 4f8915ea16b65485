package io.linuxpatch.packages.backend.dnf;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.Transaction;
import io.linuxpatch.packages.backend.dnf.inventory.DnfInventory;
import io.linuxpatch.packages.backend.dnf.inventory.InstalledRpm;
import io.linuxpatch.packages.backend.dnf.version.RpmVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a requested change into dnf arguments (the dnf half of the plan-then-apply paragraph): every name checked
 * with {@link DnfNames} against the inventory, a requested version resolved to the exact NEVRA a repository offers,
 * always after {@code --}. The shared {@code Planner} simulates them with {@code --assumeno}; the job engine runs
 * exactly them with {@code -y}.
 *
 * <p>Installs carry {@code --allowerasing}: without it dnf refuses an install that conflicts with an installed
 * package outright, where apt plans the conflicting package's removal. With it dnf's own resolution decides the
 * removal, the plan shows it (a client reviews it like apt's), and the job carries out exactly that plan. Updates,
 * removals and patch runs never erase what they were not asked to.
 */
final class DnfTransactions {

  private DnfTransactions() {
  }

  /** The change ({@code operation} install, update or remove plus its fields) as one dnf step. */
  static Transaction of(JsonObject change, DnfInventory inventory) {
    String operation = change.getString("operation", "");
    JsonArray packages = change.getJsonArray("packages", new JsonArray());
    List<String> args = new ArrayList<>();
    switch (operation) {
      case "install" -> {
        JsonObject options = change.getJsonObject("options", new JsonObject());
        boolean reinstall = options.getBoolean("reinstall", false);
        if (options.getBoolean("no_recommends", false)) {
          args.add("--setopt=install_weak_deps=False");
        }
        List<String> targets = targets(packages, inventory, options.getBoolean("allow_downgrade", false), reinstall);
        if (reinstall) {
          args.add("reinstall");
        } else {
          args.add("--allowerasing");
          args.add("install");
        }
        args.add("--");
        args.addAll(targets);
      }
      case "update" -> {
        JsonObject ref = single(packages);
        String name = DnfNames.installed(ref.getString("name"), inventory);
        String version = ref.getString("version");
        if (version == null) {
          args.addAll(List.of("upgrade", "--", name));
        } else {
          // dnf installs an older NEVRA of an installed package as a downgrade (apt's update with a version
          // may downgrade too: --allow-downgrades).
          args.addAll(List.of("install", "--", DnfNames.versionArgument(name, version, inventory)));
        }
      }
      case "remove" -> {
        // rpm keeps no configuration-only state: purge and remove are the same erase (changed config files are
        // left as .rpmsave either way).
        args.addAll(List.of("remove", "--", DnfNames.installed(single(packages).getString("name"), inventory)));
      }
      default -> throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "unknown operation " + operation,
          new JsonObject().put("field", "operation"));
    }
    return Transaction.of(args);
  }

  /** A patch run: upgrade exactly these installed packages. */
  static Transaction upgrade(List<String> names, DnfInventory inventory) {
    List<String> args = new ArrayList<>(List.of("upgrade", "--"));
    for (String name : names) {
      args.add(DnfNames.installed(name, inventory));
    }
    return Transaction.of(args);
  }

  private static List<String> targets(JsonArray packages, DnfInventory inventory, boolean allowDowngrade,
      boolean reinstall) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < packages.size(); i++) {
      JsonObject ref = packages.getJsonObject(i);
      String name = reinstall ? DnfNames.installed(ref.getString("name"), inventory)
          : DnfNames.known(ref.getString("name"), inventory);
      String version = ref.getString("version");
      if (version == null) {
        out.add(name);
        continue;
      }
      String argument = DnfNames.versionArgument(name, version, inventory);
      if (!allowDowngrade && isDowngrade(name, argument, inventory)) {
        throw new BackendRefusal(ErrorCode.INVALID_REQUEST, name + " " + version + " is older than the installed "
            + "version: set options.allow_downgrade to install it", new JsonObject().put("field", "options.allow_downgrade"));
      }
      out.add(argument);
    }
    if (out.isEmpty()) {
      throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "no package named", new JsonObject().put("field", "packages"));
    }
    return out;
  }

  private static boolean isDowngrade(String name, String nevra, DnfInventory inventory) {
    String evr = nevra.substring(name.length() + 1, nevra.lastIndexOf('.'));
    RpmVersion wanted = RpmVersion.parse(evr);
    return inventory.installed(name).stream().map(InstalledRpm::evr).anyMatch(installed -> installed.isNewerThan(wanted));
  }

  private static JsonObject single(JsonArray packages) {
    if (packages == null || packages.isEmpty()) {
      throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "no package named", new JsonObject().put("field", "packages"));
    }
    return packages.getJsonObject(0);
  }
}
