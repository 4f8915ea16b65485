package io.linuxpatch.packages.backend.apt;

import io.linuxpatch.packages.advisory.AdvisoryLookup;
import io.linuxpatch.packages.advisory.AdvisoryMatch;
import io.linuxpatch.packages.advisory.Provenance;
import io.linuxpatch.packages.backend.apt.inventory.DpkgPackage;
import io.linuxpatch.packages.backend.apt.inventory.Inventory;
import io.linuxpatch.packages.backend.apt.plan.SecurityClassifier;
import io.linuxpatch.packages.plan.Plan;
import io.linuxpatch.packages.plan.PlanAction;
import io.linuxpatch.packages.plan.RebootHeuristic;
import io.linuxpatch.packages.plan.SecurityClassification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Available updates (endpoint 7, PKG-3) from apt's own candidate computation: the upgrades of a simulated
 * {@code dist-upgrade} (so phased updates apt would hold back and held packages are not offered), each
 * classified as security by the archive its candidate comes from, with CVEs and severity from the
 * advisory feed when one is configured. Cached per inventory snapshot: the simulation reruns only when
 * the package database or the lists changed. Filters, sort and paging are the shared {@code Patches}'.
 */
final class AptPatches {

  private final AptBackend backend;
  private final SecurityClassifier classifier = new SecurityClassifier();
  private final Supplier<AdvisoryLookup> advisories;
  private Inventory computedFor;
  private AdvisoryLookup computedWith;
  private List<JsonObject> patches = List.of();

  AptPatches(AptBackend backend, Supplier<AdvisoryLookup> advisories) {
    this.backend = backend;
    this.advisories = advisories;
  }

  /** Every available patch, newest computation for the current package state. */
  synchronized List<JsonObject> all() throws IOException {
    Inventory current = backend.inventory();
    AdvisoryLookup lookup = advisories.get();
    if (current != computedFor || lookup != computedWith) {
      patches = compute(current, lookup);
      computedFor = current;
      computedWith = lookup;
    }
    return patches;
  }

  private List<JsonObject> compute(Inventory inventory, AdvisoryLookup lookup) {
    Plan plan = backend.simulate(List.of("dist-upgrade"));
    List<JsonObject> out = new ArrayList<>();
    for (PlanAction action : plan.actions(PlanAction.Kind.UPGRADE)) {
      SecurityClassification classification = classifier.classify(action);
      String source = inventory.find(action.name()).map(DpkgPackage::sourceName)
          .filter(s -> s != null && !s.isBlank()).orElse(action.name());
      AdvisoryMatch match = lookup.lookup(source, codename(action.suite()), action.fromVersion(), action.toVersion());
      Provenance provenance = Provenance.of(classification.reason(), match);
      out.add(new JsonObject()
          .put("id", action.name() + "/" + action.toVersion())
          .put("severity", match.severity().json())
          .put("security", classification.security())
          .put("cve_ids", new JsonArray(match.cveIds()))
          .put("packages", new JsonArray().add(new JsonObject()
              .put("name", action.name())
              .put("current_version", action.fromVersion())
              .put("available_version", action.toVersion())))
          .put("requires_reboot", RebootHeuristic.DEFAULT.wantsReboot(action.name()))
          .put("source", action.suite())
          .put("classification", provenance.toJson()));
    }
    return List.copyOf(out);
  }

  /** The release codename the advisory feed names: a suite without its pocket suffix. */
  static String codename(String suite) {
    if (suite == null) {
      return null;
    }
    return suite.replaceFirst("-(security|updates|backports|proposed-updates)$", "");
  }
}
