package io.linuxpatch.packages.backend.apt;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.apt.inventory.DpkgStatusField;
import io.linuxpatch.packages.backend.apt.inventory.Inventory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a requested change into apt-get arguments (the part of the plan-then-apply paragraph that is apt's):
 * names validated against the inventory with SEC-9's Debian rules, {@code name=version} built here from separate
 * fields, always after {@code --}. The shared {@code Planner} simulates them; the job engine runs exactly them.
 */
final class AptTransactions {

  private final AptBackend backend;

  AptTransactions(AptBackend backend) {
    this.backend = backend;
  }

  /** The change as apt-get arguments (without {@code -s}), validated against the current inventory. */
  List<String> arguments(JsonObject change) throws IOException {
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
      default -> throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "unknown operation " + operation,
          new JsonObject().put("field", "operation"));
    }
    return args;
  }

  /** A patch run: upgrade exactly these installed packages. */
  static List<String> upgrade(List<String> names) {
    List<String> args = new ArrayList<>(List.of("install", "--only-upgrade", "--"));
    args.addAll(names);
    return args;
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
    boolean installed = inventory.find(name).map(p -> p.state().current() == DpkgStatusField.Current.INSTALLED).orElse(false);
    if (!installed) {
      throw new BackendRefusal(ErrorCode.PKG_NOT_FOUND, name + " is not installed",
          new JsonObject().put("name", name));
    }
  }
}
