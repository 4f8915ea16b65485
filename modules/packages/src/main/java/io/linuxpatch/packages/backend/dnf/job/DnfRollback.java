package io.linuxpatch.packages.backend.dnf.job;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.Transaction;
import io.linuxpatch.packages.backend.dnf.DnfNames;
import io.linuxpatch.packages.backend.dnf.inventory.DnfInventory;
import io.linuxpatch.packages.backend.dnf.inventory.InstalledRpm;
import io.linuxpatch.packages.backend.dnf.version.RpmVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The inverse of a finished dnf job's {@code changes} (JOB-8), mirroring apt's {@code RollbackTransaction}: what
 * was upgraded, downgraded or removed comes back at its old version, what was newly installed is removed.
 *
 * <p>dnf has no single command that both installs and erases named packages ({@code apt-get install a- b=1}), so
 * the inverse is two steps, each simulated before anything runs: first {@code install --allowerasing -- OLD...}
 * (dnf installs an older NEVRA of an installed package as a downgrade, and a removed package at its old version),
 * then {@code remove -- NEW...}. That order keeps what a downgraded package still needs until it is downgraded, and
 * lets a conflict the job removed come back while the package that displaced it is erased. An old version is
 * named by its full NEVRA as a repository offers it, or, when none does any more, as the {@code .rpm} dnf kept in
 * the root's cache ({@code keepcache=True}; packages of {@code file://} repositories are never cached, they are
 * read in place) by absolute path.
 *
 * <p>Every old version must be obtainable before anything runs; otherwise the whole rollback is refused with
 * PKG_VERSION_NOT_FOUND naming the packages. A package a later job changed again is refused with PLAN_STALE (the
 * later job is rolled back first, or not at all). Names and versions come from the job's record but are checked
 * like client input, and always follow {@code --}.
 */
public final class DnfRollback {

  private DnfRollback() {
  }

  /** The steps of the inverse transaction. */
  public static Transaction of(JsonArray changes, DnfInventory inventory, Path cacheDirectory) throws IOException {
    if (changes == null || changes.isEmpty()) {
      throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "the rollback names no changes to revert",
          new JsonObject().put("field", "changes"));
    }
    List<String> installs = new ArrayList<>();
    List<String> removals = new ArrayList<>();
    List<String> unobtainable = new ArrayList<>();
    List<String> drifted = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      JsonObject change = changes.getJsonObject(i);
      String name = DnfNames.valid(change.getString("name"), inventory);
      String action = change.getString("action", "");
      String drift = drift(name, action, change.getString("to_version"), inventory.installed(name));
      if (drift != null) {
        drifted.add(drift);
      }
      switch (action) {
        case "install" -> removals.add(name);
        case "upgrade", "downgrade", "remove", "purge" -> {
          String version = DnfNames.validVersion(change.getString("from_version"));
          Optional<String> source = source(name, version, inventory, cacheDirectory);
          if (source.isPresent()) {
            installs.add(source.get());
          } else {
            unobtainable.add(name + " " + version);
          }
        }
        default -> throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "unknown change action \"" + action + "\" for "
            + name, new JsonObject().put("field", "changes"));
      }
    }
    if (!drifted.isEmpty()) {
      // A later job changed these packages again: reverting this job now would silently undo that one too.
      throw new BackendRefusal(ErrorCode.PLAN_STALE, "cannot roll back: changed again since this job: "
          + String.join("; ", drifted), new JsonObject().put("packages", new JsonArray(drifted)));
    }
    if (!unobtainable.isEmpty()) {
      throw new BackendRefusal(ErrorCode.PKG_VERSION_NOT_FOUND, "cannot roll back: no repository or cached package "
          + "offers " + String.join(", ", unobtainable), new JsonObject().put("packages", new JsonArray(unobtainable)));
    }
    List<List<String>> steps = new ArrayList<>();
    if (!installs.isEmpty()) {
      List<String> step = new ArrayList<>(List.of("--allowerasing", "install", "--"));
      step.addAll(installs);
      steps.add(step);
    }
    if (!removals.isEmpty()) {
      List<String> step = new ArrayList<>(List.of("remove", "--"));
      step.addAll(removals);
      steps.add(step);
    }
    return new Transaction(steps);
  }

  /**
   * How the package differs from the state the job left it in, or null when it is still in that state: installed
   * at {@code to_version} after an install, upgrade or downgrade; not installed after a removal.
   */
  static String drift(String name, String action, String toVersion, List<InstalledRpm> now) {
    switch (action) {
      case "install", "upgrade", "downgrade" -> {
        boolean same = toVersion != null && RpmVersion.tryParse(toVersion)
            .map(to -> now.stream().anyMatch(p -> p.evr().compareTo(to) == 0)).orElse(false);
        return same ? null : name + " was left at " + toVersion + ", is now "
            + (now.isEmpty() ? "not installed" : versions(now));
      }
      case "remove", "purge" -> {
        return now.isEmpty() ? null : name + " was removed, is now installed at " + versions(now);
      }
      default -> {
        return null;
      }
    }
  }

  private static String versions(List<InstalledRpm> installed) {
    return String.join(", ", installed.stream().map(p -> p.evr().dnfForm()).toList());
  }

  /** The NEVRA a repository offers, else the cached .rpm's absolute path, else empty. */
  static Optional<String> source(String name, String version, DnfInventory inventory, Path cacheDirectory)
      throws IOException {
    Optional<Integer> row = DnfNames.offeredRow(name, version, inventory);
    if (row.isPresent()) {
      RpmVersion offered = RpmVersion.parse(inventory.catalogue().evr(row.get()));
      return Optional.of(DnfNames.nevra(name, offered, inventory.catalogue().arch(row.get())));
    }
    return cachedRpm(name, version, cacheDirectory).map(Path::toString);
  }

  /**
   * dnf keeps downloads as {@code <cachedir>/<repo>-<hash>/packages/NAME-VERSION-RELEASE.ARCH.rpm} (no epoch in the
   * file name). The directories are listed rather than a path built, because the architecture is not in the job's
   * record.
   */
  static Optional<Path> cachedRpm(String name, String version, Path cacheDirectory) throws IOException {
    RpmVersion wanted = RpmVersion.parse(version);
    if (wanted.release() == null || !Files.isDirectory(cacheDirectory)) {
      return Optional.empty();
    }
    String prefix = name + "-" + wanted.version() + "-" + wanted.release() + ".";
    try (DirectoryStream<Path> repositories = Files.newDirectoryStream(cacheDirectory, Files::isDirectory)) {
      for (Path repository : repositories) {
        Path packages = repository.resolve("packages");
        if (!Files.isDirectory(packages)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(packages)) {
          for (Path file : files) {
            String fileName = file.getFileName().toString();
            String arch = fileName.startsWith(prefix) && fileName.endsWith(".rpm")
                ? fileName.substring(prefix.length(), fileName.length() - ".rpm".length()) : null;
            if (arch != null && !arch.isEmpty() && arch.indexOf('.') < 0 && Files.isRegularFile(file)) {
              return Optional.of(file.toAbsolutePath());
            }
          }
        }
      }
    }
    return Optional.empty();
  }
}
