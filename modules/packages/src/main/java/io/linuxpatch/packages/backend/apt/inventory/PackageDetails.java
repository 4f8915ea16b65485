package io.linuxpatch.packages.backend.apt.inventory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The single-package view of SPEC endpoint 3, assembled from a listing row, its reverse dependencies and,
 * on request, dpkg's file list.
 *
 * @param row                 the package
 * @param reverseDependencies names of packages on disk that depend on it
 * @param installedFiles      where its file list and installation time are read from
 */
record PackageDetails(PackageRow row, List<String> reverseDependencies, InstalledFiles installedFiles) {

  /** The endpoint 3 object; reads the file list only when {@code includeFiles}. */
  JsonObject toJson(boolean includeFiles) throws IOException {
    JsonObject json = row.toJson();
    Optional<DpkgPackage> dpkg = row.dpkg();
    json.put("description", dpkg.map(DpkgPackage::fullDescription).orElseGet(() -> row.newest().get().summary()));
    json.put("status_abbrev", dpkg.map(d -> d.state().abbreviation()).orElse(null));
    json.put("hold", dpkg.map(d -> d.state().isHeld()).orElse(false));
    json.put("installed_at", null);
    JsonArray dependencies = new JsonArray();
    JsonArray files = new JsonArray();
    if (dpkg.isPresent()) {
      DpkgPackage installed = dpkg.get();
      if (installed.state().isPresent()) {
        Optional<Instant> at = installedFiles.installedAt(installed);
        // RFC 3339 UTC with Z; the seconds are enough and keep the text stable across filesystems.
        json.put("installed_at", at.map(instant -> instant.truncatedTo(ChronoUnit.SECONDS).toString()).orElse(null));
      }
      installed.preDepends().forEach(group -> dependencies.add(dependency(group)));
      installed.depends().forEach(group -> dependencies.add(dependency(group)));
      json.put("maintainer", emptyToNull(installed.maintainer()))
          .put("homepage", emptyToNull(installed.homepage()))
          .put("source_package", installed.sourceName())
          .put("section", emptyToNull(installed.section()))
          .put("priority", emptyToNull(installed.priority()));
      if (includeFiles) {
        installedFiles.files(installed).forEach(files::add);
      }
    } else {
      json.put("maintainer", null).put("homepage", null).put("source_package", null)
          .put("section", null).put("priority", null);
    }
    json.put("dependencies", dependencies);
    json.put("reverse_dependencies", new JsonArray(new ArrayList<>(reverseDependencies)));
    if (includeFiles) {
      json.put("files", files);
    }
    return json;
  }

  /**
   * {@code {name, constraint}} of the preferred alternative; further alternatives ({@code a | b}) follow
   * in {@code alternatives} in the same shape, so that no information is lost.
   */
  private static JsonObject dependency(RelationGroup group) {
    JsonObject json = relation(group.first());
    if (group.alternatives().size() > 1) {
      JsonArray alternatives = new JsonArray();
      group.alternatives().subList(1, group.alternatives().size()).forEach(r -> alternatives.add(relation(r)));
      json.put("alternatives", alternatives);
    }
    return json;
  }

  private static JsonObject relation(Relation relation) {
    return new JsonObject().put("name", relation.name()).put("constraint", relation.constraint());
  }

  private static String emptyToNull(String value) {
    return value.isEmpty() ? null : value;
  }
}
