package io.linuxpatch.packages.backend.apt.job;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.apt.AptBackend;
import io.linuxpatch.packages.backend.apt.AptPaths;
import io.linuxpatch.packages.backend.apt.inventory.AptLists;
import io.linuxpatch.packages.backend.apt.inventory.AvailablePackage;
import io.linuxpatch.packages.backend.apt.inventory.DpkgPackage;
import io.linuxpatch.packages.backend.apt.inventory.DpkgStatusField;
import io.linuxpatch.packages.backend.apt.inventory.Inventory;
import io.linuxpatch.packages.backend.apt.version.DebianVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The inverse of a finished job's {@code changes} (JOB-8) as one apt-get transaction: what was installed is
 * removed ({@code name-}), what was upgraded, downgraded, removed or purged comes back at its old version
 * ({@code name=version}, or the cached {@code .deb} by absolute path when the lists no longer offer it).
 *
 * <p>Every old version must be obtainable before anything runs; otherwise the whole rollback is refused with
 * PKG_VERSION_NOT_FOUND naming the packages, so a half rollback never happens. Names and versions come from
 * the original job's record, but they are validated with the backend's rules like any client input, and
 * they always follow {@code --}.
 */
public final class RollbackTransaction {

  private final AptBackend backend;
  private final AptPaths paths;

  public RollbackTransaction(AptBackend backend, AptPaths paths) {
    this.backend = backend;
    this.paths = paths;
  }

  /** apt-get arguments after the fixed options, e.g. {@code [--allow-downgrades, install, --, a-, b=1.0]}. */
  public List<String> arguments(JsonArray changes) throws IOException {
    if (changes == null || changes.isEmpty()) {
      throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "the rollback names no changes to revert",
          new JsonObject().put("field", "changes"));
    }
    Inventory inventory = backend.inventory();
    AptLists lists = inventory.lists();
    List<String> targets = new ArrayList<>();
    List<String> unobtainable = new ArrayList<>();
    List<String> drifted = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      JsonObject change = changes.getJsonObject(i);
      String name = backend.validName(change.getString("name"), inventory);
      String action = change.getString("action", "");
      String drift = drift(name, action, change.getString("to_version"), inventory.find(name));
      if (drift != null) {
        drifted.add(drift);
      }
      switch (action) {
        case "install" -> targets.add(name + "-");
        case "upgrade", "downgrade", "remove", "purge" -> {
          String version = AptBackend.validVersion(change.getString("from_version"));
          Optional<String> source = source(name, version, lists);
          if (source.isPresent()) {
            targets.add(source.get());
          } else {
            unobtainable.add(name + " " + version);
          }
        }
        default -> throw new BackendRefusal(ErrorCode.INVALID_REQUEST, "unknown change action \"" + action
            + "\" for " + name, new JsonObject().put("field", "changes"));
      }
    }
    if (!drifted.isEmpty()) {
      // A later job changed these packages again: reverting this job now would silently undo that one too
      // (e.g. downgrade past a later security fix). The operator rolls back the later job first, or not at all.
      throw new BackendRefusal(ErrorCode.PLAN_STALE, "cannot roll back: changed again since this job: "
          + String.join("; ", drifted), new JsonObject().put("packages", new JsonArray(drifted)));
    }
    if (!unobtainable.isEmpty()) {
      throw new BackendRefusal(ErrorCode.PKG_VERSION_NOT_FOUND, "cannot roll back: no repository or cached "
          + "package offers " + String.join(", ", unobtainable), new JsonObject().put("packages", new JsonArray(unobtainable)));
    }
    List<String> args = new ArrayList<>(List.of("--allow-downgrades", "install", "--"));
    args.addAll(targets);
    return args;
  }

  /**
   * How the package differs from the state the job left it in, or null when it is still that state:
   * installed at {@code to_version} after an install/upgrade/downgrade, not installed after a removal
   * (configuration files may remain), entirely gone after a purge.
   */
  /** The states an install, upgrade or downgrade leaves a package in: done, or stopped by a failing script. */
  private static final java.util.Set<DpkgStatusField.Current> LEFT_BY_A_JOB = java.util.EnumSet.of(
      DpkgStatusField.Current.INSTALLED, DpkgStatusField.Current.HALF_CONFIGURED, DpkgStatusField.Current.UNPACKED,
      DpkgStatusField.Current.TRIGGERS_AWAITED, DpkgStatusField.Current.TRIGGERS_PENDING);

  static String drift(String name, String action, String toVersion, Optional<DpkgPackage> now) {
    DpkgStatusField.Current current = now.map(p -> p.state().current()).orElse(DpkgStatusField.Current.NOT_INSTALLED);
    String version = now.map(DpkgPackage::versionText).orElse("");
    switch (action) {
      case "install", "upgrade", "downgrade" -> {
        // A failed job may leave its package unpacked or half-configured (a maintainer script failed): that is the
        // state it left, not a later change, so its rollback may still take the package back.
        boolean same = LEFT_BY_A_JOB.contains(current) && toVersion != null
            && DebianVersion.parse(version).compareTo(DebianVersion.parse(toVersion)) == 0;
        return same ? null : name + " was left at " + toVersion + ", is now "
            + (current == DpkgStatusField.Current.INSTALLED ? version : current.toString().toLowerCase(Locale.ROOT));
      }
      case "remove" -> {
        return current == DpkgStatusField.Current.INSTALLED ? name + " was removed, is now installed at " + version : null;
      }
      case "purge" -> {
        return current == DpkgStatusField.Current.NOT_INSTALLED ? null : name + " was purged, is now "
            + (current == DpkgStatusField.Current.INSTALLED ? "installed at " + version : current.toString().toLowerCase(Locale.ROOT));
      }
      default -> {
        return null;
      }
    }
  }

  /** {@code name=version} when apt's lists offer it, else the cached .deb's absolute path, else empty. */
  private Optional<String> source(String name, String version, AptLists lists) throws IOException {
    DebianVersion wanted = DebianVersion.parse(version);
    for (AvailablePackage available : lists.versions(name)) {
      if (available.version().compareTo(wanted) == 0) {
        return Optional.of(name + "=" + version);
      }
    }
    return cachedDeb(name, version).map(Path::toString);
  }

  /**
   * apt keeps downloads as {@code name_version_arch.deb} with the epoch colon written {@code %3a}. The
   * directory is listed rather than a path built, because the architecture is not in the job's record.
   */
  Optional<Path> cachedDeb(String name, String version) throws IOException {
    Path archives = paths.archivesDir();
    if (!Files.isDirectory(archives)) {
      return Optional.empty();
    }
    String prefix = name + "_" + version.replace(":", "%3a") + "_";
    try (DirectoryStream<Path> files = Files.newDirectoryStream(archives)) {
      for (Path file : files) {
        String fileName = file.getFileName().toString();
        if (fileName.startsWith(prefix) && fileName.endsWith(".deb") && fileName.indexOf('_', prefix.length()) < 0
            && Files.isRegularFile(file)) {
          return Optional.of(file.toAbsolutePath());
        }
      }
    }
    return Optional.empty();
  }
}
