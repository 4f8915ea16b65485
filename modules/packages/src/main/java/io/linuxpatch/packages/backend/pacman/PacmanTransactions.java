package io.linuxpatch.packages.backend.pacman;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.Transaction;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanInventory;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanPackage;
import io.linuxpatch.packages.backend.pacman.job.PacmanPackageCache;
import io.linuxpatch.packages.backend.pacman.version.PacmanVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a requested change into pacman's arguments (a {@link Transaction} whose steps begin with the operation), every
 * name validated with SEC-9's pacman rules and known exactly to the databases before anything runs, every target
 * after {@code --}:
 *
 * <ul>
 *   <li>install: {@code -S --needed -- NAMES} (a {@code version} is the repository's candidate, or a cached file
 *       installed with {@code -U}; {@code options.reinstall} drops {@code --needed}; a version older than the
 *       installed one needs {@code options.allow_downgrade});</li>
 *   <li>update: {@code -S --needed -- NAME} of an installed package (or {@code -U} of the cached file of the asked
 *       version);</li>
 *   <li>remove: {@code -R -- NAME}, {@code -Rn} with {@code purge} (no {@code .pacsave} copies of changed
 *       configuration files are kept); pacman refuses to break a dependency, so removing a library another package
 *       needs is a DEPENDENCY_CONFLICT, not a cascade;</li>
 *   <li>patch run: {@code -Su --ignore UNSELECTED}: the system upgrade with every pending update that was not chosen
 *       held back (pacman then refuses, rather than leaves half done, an update that needs one of them).</li>
 * </ul>
 *
 * <p>Once a detached refresh holds newer databases than pacman's own, every step that takes packages from the
 * repositories becomes {@code -Syu …}: Arch supports no partial upgrade, so installing from (or updating to) the
 * refreshed databases is one transaction that refreshes pacman's databases and upgrades the system together, and
 * the plan (printed from the refresh's databases) shows the whole upgrade. The agent's holds are passed as
 * {@code --ignore} (pacman reads pacman.conf's IgnorePkg itself).
 */
final class PacmanTransactions {

  /** What a transaction is built against: the databases read now and the holds. */
  record View(PacmanInventory inventory, Set<String> held, Set<String> agentHolds, boolean refreshed,
      PacmanPackageCache cache) {
  }

  private final PacmanBackend backend;

  PacmanTransactions(PacmanBackend backend) {
    this.backend = backend;
  }

  Transaction of(JsonObject change, View view) throws IOException {
    String operation = change.getString("operation", "");
    JsonArray packages = change.getJsonArray("packages", new JsonArray());
    return switch (operation) {
      case "install" -> install(packages, change.getJsonObject("options", new JsonObject()), view);
      case "update" -> update(packages, view);
      case "remove" -> remove(packages, change.getBoolean("purge", false), view);
      default -> throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "unknown operation " + operation,
          new JsonObject().put("field", "operation"));
    };
  }

  /** A patch run: the system upgrade with the pending updates of every other package held back. */
  Transaction upgrade(List<String> names, View view) {
    Set<String> selected = new LinkedHashSet<>();
    for (String name : names) {
      selected.add(backend.validName(name, view.inventory()));
    }
    Set<String> ignore = new TreeSet<>(view.agentHolds());
    for (PacmanInventory.PendingUpdate update : view.inventory().updates(view.held())) {
      if (!selected.contains(update.name())) {
        ignore.add(update.name());
      }
    }
    List<String> step = new ArrayList<>(List.of(view.refreshed() ? "-Syu" : "-Su"));
    addIgnore(step, ignore);
    return Transaction.of(step);
  }

  private Transaction install(JsonArray packages, JsonObject options, View view) throws IOException {
    if (packages.isEmpty()) {
      throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "no package named", new JsonObject().put("field", "packages"));
    }
    boolean reinstall = options.getBoolean("reinstall", false);
    boolean allowDowngrade = options.getBoolean("allow_downgrade", false);
    List<String> names = new ArrayList<>();
    List<String> files = new ArrayList<>();
    for (int i = 0; i < packages.size(); i++) {
      JsonObject ref = packages.getJsonObject(i);
      String name = backend.validName(ref.getString("name"), view.inventory());
      String version = ref.getString("version");
      if (version == null) {
        if (view.inventory().available(name).isEmpty()) {
          throw notInRepositories(name, view);
        }
        names.add(name);
      } else {
        target(name, PacmanBackend.validVersion(version), allowDowngrade, view, names, files);
      }
    }
    return steps(names, files, reinstall ? List.of() : List.of("--needed"), view);
  }

  private Transaction update(JsonArray packages, View view) throws IOException {
    if (packages.isEmpty()) {
      throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "no package named", new JsonObject().put("field", "packages"));
    }
    JsonObject ref = packages.getJsonObject(0);
    String name = backend.validName(ref.getString("name"), view.inventory());
    requireInstalled(name, view);
    List<String> names = new ArrayList<>();
    List<String> files = new ArrayList<>();
    if (ref.getString("version") == null) {
      if (view.inventory().available(name).isEmpty()) {
        throw new BackendRefusal(ErrorCode.PKG_NOT_FOUND, name + " is installed but no sync repository offers it "
            + "(a foreign package, pacman -Qm): there is nothing to update it to", new JsonObject().put("name", name));
      }
      names.add(name);
    } else {
      target(name, PacmanBackend.validVersion(ref.getString("version")), true, view, names, files);
    }
    return steps(names, files, List.of("--needed"), view);
  }

  private Transaction remove(JsonArray packages, boolean purge, View view) {
    if (packages.isEmpty()) {
      throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "no package named", new JsonObject().put("field", "packages"));
    }
    String name = backend.validName(packages.getJsonObject(0).getString("name"), view.inventory());
    requireInstalled(name, view);
    return Transaction.of(List.of(purge ? "-Rn" : "-R", "--", name));
  }

  /**
   * A named version: the repository's candidate when it is exactly that version, else the cached file of it;
   * PKG_VERSION_NOT_FOUND when neither has it.
   */
  private static void target(String name, String version, boolean allowDowngrade, View view, List<String> names,
      List<String> files) throws IOException {
    Optional<PacmanPackage> installed = view.inventory().installed(name);
    if (!allowDowngrade && installed.isPresent() && PacmanVersion.compare(version, installed.get().version()) < 0) {
      throw new BackendRefusal(ErrorCode.INVALID_REQUEST, name + " " + version + " is older than the installed "
          + installed.get().version() + "; set options.allow_downgrade to downgrade",
          new JsonObject().put("field", "options.allow_downgrade"));
    }
    Optional<PacmanPackage> candidate = view.inventory().available(name);
    if (candidate.isPresent() && candidate.get().version().equals(version)) {
      names.add(name);
      return;
    }
    Optional<Path> file = view.cache().find(name, version);
    if (file.isEmpty()) {
      if (candidate.isEmpty() && installed.isEmpty()) {
        throw notInRepositories(name, view);
      }
      throw new BackendRefusal(ErrorCode.PKG_VERSION_NOT_FOUND, "neither pacman's repositories ("
          + candidate.map(p -> "they offer " + p.version()).orElse("which do not offer " + name)
          + ") nor its package cache hold " + name + " " + version,
          new JsonObject().put("name", name).put("version", version));
    }
    files.add(file.get().toString());
  }

  private static Transaction steps(List<String> names, List<String> files, List<String> syncOptions, View view) {
    List<List<String>> steps = new ArrayList<>();
    if (!names.isEmpty()) {
      List<String> step = new ArrayList<>(List.of(view.refreshed() ? "-Syu" : "-S"));
      step.addAll(syncOptions);
      addIgnore(step, view.agentHolds());
      step.add("--");
      step.addAll(names);
      steps.add(step);
    }
    if (!files.isEmpty()) {
      List<String> step = new ArrayList<>(List.of("-U"));
      addIgnore(step, view.agentHolds());
      step.add("--");
      step.addAll(files);
      steps.add(step);
    }
    return new Transaction(steps);
  }

  private static void addIgnore(List<String> step, Set<String> names) {
    if (!names.isEmpty()) {
      step.add("--ignore");
      step.add(String.join(",", new TreeSet<>(names)));
    }
  }

  private static void requireInstalled(String name, View view) {
    if (view.inventory().installed(name).isEmpty()) {
      throw new BackendRefusal(ErrorCode.PKG_NOT_FOUND, name + " is not installed", new JsonObject().put("name", name));
    }
  }

  private static BackendRefusal notInRepositories(String name, View view) {
    return new BackendRefusal(ErrorCode.PKG_NOT_FOUND, "no sync repository offers " + name
        + (view.inventory().installed(name).isPresent() ? " (it is installed, as a foreign package)" : ""),
        new JsonObject().put("name", name));
  }
}
