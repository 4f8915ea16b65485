package io.linuxpatch.packages.backend.pacman.inventory;

import io.linuxpatch.packages.backend.pacman.plan.Dependency;
import io.linuxpatch.packages.listing.PackageListing;
import io.linuxpatch.packages.listing.PackageQuery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Endpoints 2 and 3 for one {@link PacmanInventory} snapshot: every name the local database or a sync repository
 * knows, in name order, as {@link PacmanRow}s (made once per snapshot), filtered, sorted and paged by the shared
 * {@link PackageListing}; and one package's details, with its file list read from {@code local/NAME-VERSION/files}
 * on request. Immutable; safe from any thread.
 */
public final class PacmanListing {

  private final PacmanInventory inventory;
  private final Path dbPath;
  private final List<PacmanRow> installedRows;
  /** Every name's row, made on the first query that can match a package only a repository has. */
  private volatile List<PacmanRow> allRows;

  /**
   * @param inventory the snapshot
   * @param dbPath    pacman's DBPath, where the installed packages' file lists are
   */
  public PacmanListing(PacmanInventory inventory, Path dbPath) {
    this.inventory = inventory;
    this.dbPath = dbPath;
    // the default listing (installed) needs the installed rows only: the first listing after a transaction does
    // not pay for the rows of the tens of thousands of packages the repositories offer
    List<PacmanRow> installed = new ArrayList<>(inventory.local().size());
    for (PacmanPackage p : inventory.local().packages()) {
      installed.add(new PacmanRow(p, inventory.available(p.name()).orElse(null)));
    }
    this.installedRows = List.copyOf(installed);
  }

  private List<PacmanRow> allRows() {
    List<PacmanRow> rows = allRows;
    if (rows == null) {
      TreeSet<String> names = new TreeSet<>();
      inventory.local().packages().forEach(p -> names.add(p.name()));
      for (PacmanDatabase repository : inventory.sync()) {
        repository.packages().forEach(p -> names.add(p.name()));
      }
      List<PacmanRow> all = new ArrayList<>(names.size());
      for (String name : names) {
        all.add(new PacmanRow(inventory.installed(name).orElse(null), inventory.available(name).orElse(null)));
      }
      rows = List.copyOf(all);
      allRows = rows;
    }
    return rows;
  }

  public PacmanInventory inventory() {
    return inventory;
  }

  /** Every row, in name order. */
  public List<PacmanRow> rows() {
    return allRows();
  }

  /** Endpoint 2: {@code {packages, total, limit, offset}}. */
  public JsonObject list(PackageQuery query) {
    return PackageListing.list(query, installedRows, keep -> allRows().forEach(keep), PacmanRow::sortVersion);
  }

  /** The row of exactly this name. */
  public Optional<PacmanRow> row(String name) {
    Optional<PacmanPackage> installed = inventory.installed(name);
    Optional<PacmanPackage> candidate = inventory.available(name);
    if (installed.isEmpty() && candidate.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new PacmanRow(installed.orElse(null), candidate.orElse(null)));
  }

  /**
   * Endpoint 3: the row's fields plus description, installed_at, dependencies ({@code {name, constraint}}),
   * reverse_dependencies (installed packages that depend on it or on one of its provisions), maintainer (the
   * packager), homepage, source_package (pkgbase), and with {@code files} the installed files.
   *
   * @param held whether the package is held (IgnorePkg or the agent's holds)
   */
  public Optional<JsonObject> details(String name, boolean files, boolean held) throws IOException {
    Optional<PacmanRow> found = row(name);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    PacmanRow row = found.get();
    PacmanPackage shown = row.installed() != null ? row.installed() : row.candidate();
    JsonObject json = row.toJson()
        .put("description", shown.description())
        .put("installed_at", row.installed() == null ? null : row.installed().installDate()
            .map(at -> at.truncatedTo(ChronoUnit.SECONDS).toString()).orElse(null))
        .put("hold", held)
        .put("install_reason", row.installed() == null ? null
            : row.installed().reason() == PacmanPackage.Reason.DEPENDENCY ? "dependency" : "explicit")
        .put("maintainer", shown.packager().orElse(null))
        .put("homepage", shown.url().orElse(null))
        .put("source_package", shown.base());
    JsonArray dependencies = new JsonArray();
    for (String depend : shown.depends()) {
      Dependency dependency = Dependency.parse(depend);
      dependencies.add(new JsonObject().put("name", dependency.name())
          .put("constraint", dependency.operator() == null ? null : dependency.operator() + " " + dependency.version()));
    }
    json.put("dependencies", dependencies);
    json.put("reverse_dependencies", new JsonArray(new ArrayList<>(reverseDependencies(shown))));
    if (files) {
      json.put("files", new JsonArray(row.installed() == null ? List.of() : installedFiles(row.installed())));
    }
    return Optional.of(json);
  }

  /** Installed packages whose dependencies name this package or one of its provisions. */
  Set<String> reverseDependencies(PacmanPackage target) {
    Set<String> provided = new TreeSet<>();
    provided.add(target.name());
    target.provides().forEach(p -> provided.add(Dependency.parse(p).name()));
    Set<String> names = new TreeSet<>();
    for (PacmanPackage installed : inventory.local().packages()) {
      for (String depend : installed.depends()) {
        if (provided.contains(Dependency.parse(depend).name())) {
          names.add(installed.name());
          break;
        }
      }
    }
    names.remove(target.name());
    return names;
  }

  /** The {@code %FILES%} of {@code local/NAME-VERSION/files}, as absolute paths (directories end with '/'). */
  List<String> installedFiles(PacmanPackage installed) throws IOException {
    Path file = dbPath.resolve(LocalDatabaseReader.LOCAL).resolve(installed.name() + "-" + installed.version())
        .resolve("files");
    List<String> paths = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      boolean inFiles = false;
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("%") && line.endsWith("%")) {
          inFiles = line.equals("%FILES%");
        } else if (inFiles && !line.isEmpty()) {
          paths.add("/" + line);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return paths;
  }
}
