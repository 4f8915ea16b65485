package io.linuxpatch.packages.backend.pacman;

import io.linuxpatch.contract.packages.Severity;
import io.linuxpatch.packages.backend.pacman.advisory.ArchFeedFile;
import io.linuxpatch.packages.backend.pacman.advisory.ArchSecurityIndex;
import io.linuxpatch.packages.backend.pacman.advisory.ArchSecurityMatch;
import io.linuxpatch.packages.backend.pacman.inventory.PacmanInventory;
import io.linuxpatch.packages.plan.RebootHeuristic;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Available updates on a pacman host (endpoint 7, PKG-3): exactly the updates {@code pacman -Qu} lists without
 * {@code [ignored]} (libalpm's rule — each installed package against the first repository that has its name —
 * computed from the in-memory databases, holds honoured), each classified by the Arch Linux security tracker feed
 * ({@code patches.advisory_feed}) and never by its name: an update that fixes a tracker group is security, with the
 * group's CVEs and severity and {@code classification.reason} naming the group and its advisory; updates that fix the
 * same advisory are one patch with that advisory's id (ASA, else AVG). Without a feed every patch is
 * {@code security: false}, severity {@code unknown}, and its reason says that no advisory data is configured.
 * Cached per database snapshot and feed.
 */
final class PacmanPatches {

  private final Supplier<ArchFeedFile> feed;
  private final RebootHeuristic reboot;
  private PacmanInventory computedFor;
  private Set<String> computedHeld;
  private ArchSecurityIndex computedWith;
  private String computedProblem;
  private List<JsonObject> patches = List.of();

  /** @param feed the current feed (replaced on a configuration reload) */
  PacmanPatches(Supplier<ArchFeedFile> feed, RebootHeuristic reboot) {
    this.feed = feed;
    this.reboot = reboot;
  }

  synchronized List<JsonObject> all(PacmanInventory inventory, Set<String> held) {
    ArchFeedFile file = feed.get();
    ArchSecurityIndex index = file.current().orElse(null);
    String problem = file.problem();
    if (inventory != computedFor || !held.equals(computedHeld) || index != computedWith
        || !Objects.equals(problem, computedProblem)) {
      patches = compute(inventory, held, index, file);
      computedFor = inventory;
      computedHeld = Set.copyOf(held);
      computedWith = index;
      computedProblem = problem;
    }
    return patches;
  }

  private List<JsonObject> compute(PacmanInventory inventory, Set<String> held, ArchSecurityIndex index,
      ArchFeedFile file) {
    Map<String, List<Update>> byId = new LinkedHashMap<>();
    for (PacmanInventory.PendingUpdate update : inventory.updates(held)) {
      if (update.ignored()) {
        continue;
      }
      Optional<ArchSecurityMatch> match = index == null ? Optional.empty()
          : Optional.of(index.match(update.name(), update.installedVersion(), update.availableVersion()));
      String id = match.map(ArchSecurityMatch::patchId).orElse(update.name() + "/" + update.availableVersion());
      byId.computeIfAbsent(id, k -> new ArrayList<>()).add(new Update(update, match.orElse(null)));
    }
    List<JsonObject> out = new ArrayList<>();
    for (Map.Entry<String, List<Update>> entry : byId.entrySet()) {
      out.add(patch(entry.getKey(), entry.getValue(), index == null ? noFeedReason(file) : null));
    }
    return List.copyOf(out);
  }

  private record Update(PacmanInventory.PendingUpdate pending, ArchSecurityMatch match) {
  }

  private JsonObject patch(String id, List<Update> updates, String noFeedReason) {
    Severity severity = Severity.UNKNOWN;
    boolean security = false;
    Set<String> cves = new LinkedHashSet<>();
    JsonArray packages = new JsonArray();
    boolean requiresReboot = false;
    List<String> reasons = new ArrayList<>();
    String severitySource = null;
    for (Update update : updates) {
      PacmanInventory.PendingUpdate pending = update.pending();
      packages.add(new JsonObject().put("name", pending.name())
          .put("current_version", pending.installedVersion())
          .put("available_version", pending.availableVersion()));
      requiresReboot |= reboot.wantsReboot(pending.name());
      if (update.match() != null) {
        ArchSecurityMatch match = update.match();
        security |= match.security();
        severity = severity.max(match.severity());
        cves.addAll(match.cveIds());
        if (match.advisory().severitySource() != null) {
          severitySource = match.advisory().severitySource();
        }
        if (!reasons.contains(match.reason())) {
          reasons.add(match.reason());
        }
      }
    }
    return new JsonObject()
        .put("id", id)
        .put("severity", severity.json())
        .put("security", security)
        .put("cve_ids", new JsonArray(new ArrayList<>(cves)))
        .put("packages", packages)
        .put("requires_reboot", requiresReboot)
        .put("source", updates.get(0).pending().repository())
        .put("classification", new JsonObject()
            .put("reason", noFeedReason != null ? noFeedReason : String.join("; ", reasons))
            .put("severity_source", severitySource));
  }

  private static String noFeedReason(ArchFeedFile file) {
    if (file.path().isEmpty() || file.problem() == null) {
      return ArchSecurityMatch.NO_FEED_REASON;
    }
    return "no advisory data: the Arch security tracker feed " + file.path().get() + " could not be used ("
        + file.problem() + "); pacman repositories do not mark security updates, so this update is not classified "
        + "as security";
  }
}
