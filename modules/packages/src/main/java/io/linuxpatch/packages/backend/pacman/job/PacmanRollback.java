package io.linuxpatch.packages.backend.pacman.job;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.Transaction;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanInventory;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanPackage;
import io.linuxpatch.packages.backend.pacman.version.PacmanVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The inverse of a finished job's {@code changes} (JOB-8) as pacman transactions: what the job installed is removed
 * ({@code -R}), and what it upgraded, downgraded or removed comes back at its old version from pacman's package
 * cache ({@code -U} of {@code CacheDir/NAME-OLD-ARCH.pkg.tar.*}: a repository keeps only its newest version), or
 * from the sync repository when that offers exactly the old version and pacman's own databases are the ones read
 * ({@code -S}). Removals run first, so that a conflicting package is gone before the old one comes back.
 *
 * <p>Everything is checked before anything runs: a package changed again by a later job makes the rollback
 * PLAN_STALE (reverting now would silently undo that job too); an old version the cache and the repositories no
 * longer have makes it PKG_VERSION_NOT_FOUND naming the packages; a held package it would change back makes it a
 * DEPENDENCY_CONFLICT (the job's {@code --ask=5} would skip it). Names and versions come from the job's record but
 * are validated like client input, and always follow {@code --}.
 */
public final class PacmanRollback {

  private final UnaryOperator<String> validName;
  private final UnaryOperator<String> validVersion;
  private final PacmanPackageCache cache;

  /**
   * @param validName    SEC-9's pacman name rules (a refusal when broken)
   * @param validVersion the version rules (a refusal when broken)
   */
  public PacmanRollback(UnaryOperator<String> validName, UnaryOperator<String> validVersion, PacmanPackageCache cache) {
    this.validName = validName;
    this.validVersion = validVersion;
    this.cache = cache;
  }

  /**
   * @param inventory   the databases now (installed packages, and the sync repositories read)
   * @param held        every held name
   * @param ownDatabase whether the sync databases read are pacman's own (no newer detached refresh): only then can
   *                    {@code -S} bring back an exact version
   */
  public Transaction inverse(JsonArray changes, PacmanInventory inventory, Set<String> held, boolean ownDatabase)
      throws IOException {
    if (changes == null || changes.isEmpty()) {
      throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "the rollback names no changes to revert",
          new JsonObject().put("field", "changes"));
    }
    List<String> removals = new ArrayList<>();
    List<String> files = new ArrayList<>();
    List<String> fromRepository = new ArrayList<>();
    List<String> unobtainable = new ArrayList<>();
    List<String> drifted = new ArrayList<>();
    List<String> heldBack = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      JsonObject change = changes.getJsonObject(i);
      String name = validName.apply(change.getString("name"));
      String action = change.getString("action", "");
      Optional<PacmanPackage> now = inventory.installed(name);
      String drift = drift(name, action, change.getString("to_version"), now);
      if (drift != null) {
        drifted.add(drift);
      }
      switch (action) {
        case "install" -> removals.add(name);
        case "upgrade", "downgrade", "remove", "purge" -> {
          String version = validVersion.apply(change.getString("from_version"));
          if (held.contains(name)) {
            heldBack.add(name);
          }
          Optional<Path> file = cache.find(name, version);
          boolean inRepository = ownDatabase && inventory.available(name)
              .map(p -> p.version().equals(version)).orElse(false);
          if (file.isPresent()) {
            files.add(file.get().toString());
          } else if (inRepository) {
            fromRepository.add(name);
          } else {
            unobtainable.add(name + " " + version);
          }
        }
        default -> throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "unknown change action \"" + action
            + "\" for " + name, new JsonObject().put("field", "changes"));
      }
    }
    if (!drifted.isEmpty()) {
      throw new BackendRefusal(ErrorCode.PLAN_STALE, "cannot roll back: changed again since this job: "
          + String.join("; ", drifted), new JsonObject().put("packages", new JsonArray(drifted)));
    }
    if (!unobtainable.isEmpty()) {
      throw new BackendRefusal(ErrorCode.PKG_VERSION_NOT_FOUND, "cannot roll back: neither pacman's package cache "
          + "nor its repositories hold " + String.join(", ", unobtainable),
          new JsonObject().put("packages", new JsonArray(unobtainable)));
    }
    if (!heldBack.isEmpty()) {
      throw new BackendRefusal(ErrorCode.DEPENDENCY_CONFLICT, "cannot roll back held package(s) "
          + String.join(", ", heldBack) + "; release the hold first",
          new JsonObject().put("held", new JsonArray(heldBack)));
    }
    List<List<String>> steps = new ArrayList<>();
    if (!removals.isEmpty()) {
      steps.add(withTargets(List.of("-R"), removals));
    }
    if (!files.isEmpty()) {
      steps.add(withTargets(List.of("-U"), files));
    }
    if (!fromRepository.isEmpty()) {
      steps.add(withTargets(List.of("-S"), fromRepository));
    }
    return new Transaction(steps);
  }

  /**
   * How the package differs from the state the job left it in, or null when it is still that state: installed at
   * {@code to_version} after an install, upgrade or downgrade; not installed after a removal.
   */
  static String drift(String name, String action, String toVersion, Optional<PacmanPackage> now) {
    switch (action) {
      case "install", "upgrade", "downgrade" -> {
        boolean same = now.isPresent() && toVersion != null && PacmanVersion.compare(now.get().version(), toVersion) == 0;
        return same ? null : name + " was left at " + toVersion + ", is now "
            + now.map(PacmanPackage::version).orElse("not installed");
      }
      case "remove", "purge" -> {
        return now.map(p -> name + " was removed, is now installed at " + p.version()).orElse(null);
      }
      default -> {
        return null;
      }
    }
  }

  private static List<String> withTargets(List<String> operation, List<String> targets) {
    List<String> step = new ArrayList<>(operation);
    step.add("--");
    step.addAll(targets);
    return step;
  }
}
