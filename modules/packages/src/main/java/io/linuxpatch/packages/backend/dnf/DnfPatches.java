package io.linuxpatch.packages.backend.dnf;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.packages.Severity;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.dnf.advisory.CheckUpdate;
import io.linuxpatch.packages.backend.dnf.advisory.DnfAdvisory;
import io.linuxpatch.packages.backend.dnf.advisory.UpdateInfoLine;
import io.linuxpatch.packages.backend.dnf.inventory.DnfInventory;
import io.linuxpatch.packages.backend.dnf.inventory.Nevra;
import io.linuxpatch.packages.backend.dnf.plan.RpmRebootPackages;
import io.linuxpatch.packages.backend.dnf.version.RpmVersion;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.RunningProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Available updates (endpoint 7, PKG-3) from dnf's own view: the updates {@code dnf check-update} offers (holds
 * honoured: the versionlock plugin hides a held package's other versions), classified by the advisories of the
 * repositories' updateinfo ({@code dnf updateinfo list --updates}, with and without {@code --with-cve}).
 *
 * <p>An update is matched to every advisory that names a version of the same package newer than the installed one
 * and not newer than the update (an advisory fixed in 1.1-1 is fixed by the update to 1.1-2 as well). A patch is
 * one advisory with all the updates it speaks for ({@code id} the advisory id, e.g. {@code RHSA-2024:1234} over
 * openssl and openssl-libs), or one update no advisory names ({@code id} {@code name/evr}, {@code security: false},
 * severity unknown). When several advisories name an update, the one a patch is filed under is the most important:
 * security before other types, then the highest severity; CVEs of all of them are listed. {@code security} is true
 * only for a security advisory, and {@code classification.reason} names the advisory. Never from package names.
 *
 * <p>Three cache-only dnf runs, side by side; cached by the caller per package state.
 */
final class DnfPatches {

  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final int OUTPUT_LIMIT = 64 * 1024 * 1024;
  private static final String SEVERITY_SOURCE = "dnf updateinfo";

  private final DnfCommands commands;
  private final ProcessRunner runner;

  DnfPatches(DnfCommands commands, ProcessRunner runner) {
    this.commands = commands;
    this.runner = runner;
  }

  /** Every available patch for the current package state. Blocking (three dnf runs). */
  List<JsonObject> compute(DnfInventory inventory) {
    // Three independent reads of the same cache, run side by side: a dnf start costs a few hundred milliseconds
    // of CPU (Python, libdnf, the solv files), and a patch listing or a patch plan waits for all three.
    RunningProcess checkRun = start("-C", "-q", "check-update");
    RunningProcess idsRun = start("-C", "-q", "updateinfo", "list", "--updates");
    RunningProcess cvesRun = start("-C", "-q", "updateinfo", "list", "--updates", "--with-cve");
    ProcessResult check = checkRun.await();
    ProcessResult ids = idsRun.await();
    ProcessResult cves = cvesRun.await();
    CheckUpdate updates;
    try {
      updates = CheckUpdate.parse(check.exitCode(), check.stdout().text());
    } catch (IllegalArgumentException e) {
      throw failure("dnf check-update", check);
    }
    if (!ids.succeeded() || !cves.succeeded()) {
      throw failure("dnf updateinfo list", ids.succeeded() ? cves : ids);
    }
    List<DnfAdvisory> advisories = DnfAdvisory.join(UpdateInfoLine.parse(ids.stdout().text()),
        UpdateInfoLine.parse(cves.stdout().text()));
    return patches(updates, advisories, inventory);
  }

  /** The patches of {@code updates} classified by {@code advisories} (pure: the unit of {@link #compute}). */
  static List<JsonObject> patches(CheckUpdate updates, List<DnfAdvisory> advisories, DnfInventory inventory) {
    Map<String, Group> groups = new LinkedHashMap<>();
    for (CheckUpdate.Update update : updates.updates()) {
      String current = inventory.installedVersion(update.name(), update.arch());
      List<DnfAdvisory> matching = matching(update, current, advisories);
      Optional<DnfAdvisory> primary = matching.stream().min(IMPORTANCE);
      String key = primary.map(DnfAdvisory::id).orElse(update.name() + "/" + update.evr());
      Group group = groups.computeIfAbsent(key, id -> new Group(id, primary.orElse(null)));
      group.updates.add(update);
      group.currentVersions.add(current);
      matching.forEach(a -> group.cves.addAll(a.cveIds()));
    }
    List<JsonObject> patches = new ArrayList<>();
    for (Group group : groups.values()) {
      patches.add(group.toJson());
    }
    return List.copyOf(patches);
  }

  /** Security first, then the highest severity, then the id. */
  private static final Comparator<DnfAdvisory> IMPORTANCE = Comparator
      .comparing((DnfAdvisory a) -> !a.security())
      .thenComparing(DnfAdvisory::severity, Comparator.reverseOrder())
      .thenComparing(DnfAdvisory::id);

  private static List<DnfAdvisory> matching(CheckUpdate.Update update, String current, List<DnfAdvisory> advisories) {
    RpmVersion to = RpmVersion.parse(update.evr());
    RpmVersion from = current == null ? null : RpmVersion.parse(current);
    List<DnfAdvisory> found = new ArrayList<>();
    for (DnfAdvisory advisory : advisories) {
      for (String text : advisory.packages()) {
        Optional<Nevra> nevra = Nevra.parse(text);
        if (nevra.isPresent() && nevra.get().name().equals(update.name())
            && (nevra.get().arch().equals(update.arch()) || nevra.get().arch().equals("noarch")
                || update.arch().equals("noarch"))
            && nevra.get().version().compareTo(to) <= 0
            && (from == null || nevra.get().version().isNewerThan(from))) {
          found.add(advisory);
          break;
        }
      }
    }
    return found;
  }

  /** The updates one patch speaks for. */
  private static final class Group {
    final String id;
    final DnfAdvisory advisory;
    final List<CheckUpdate.Update> updates = new ArrayList<>();
    final List<String> currentVersions = new ArrayList<>();
    final Set<String> cves = new LinkedHashSet<>();

    Group(String id, DnfAdvisory advisory) {
      this.id = id;
      this.advisory = advisory;
    }

    JsonObject toJson() {
      JsonArray packages = new JsonArray();
      boolean reboot = false;
      for (int i = 0; i < updates.size(); i++) {
        CheckUpdate.Update update = updates.get(i);
        packages.add(new JsonObject().put("name", update.name()).put("current_version", currentVersions.get(i))
            .put("available_version", update.evr()));
        reboot |= RpmRebootPackages.HEURISTIC.wantsReboot(update.name());
      }
      String repository = updates.get(0).repository();
      String reason = advisory == null
          ? "no advisory in the updateinfo of repository " + repository + " names this update"
          : "advisory " + advisory.id() + " (" + advisory.type()
              + (advisory.dnfSeverity() == null ? "" : ", severity " + advisory.dnfSeverity())
              + ") in the updateinfo of repository " + repository;
      return new JsonObject()
          .put("id", id)
          .put("severity", advisory == null ? Severity.UNKNOWN.json() : advisory.severity().json())
          .put("security", advisory != null && advisory.security())
          .put("cve_ids", new JsonArray(new ArrayList<>(cves)))
          .put("packages", packages)
          .put("requires_reboot", reboot)
          .put("source", repository)
          .put("classification", new JsonObject().put("reason", reason)
              .put("severity_source", advisory == null || advisory.dnfSeverity() == null ? null : SEVERITY_SOURCE));
    }
  }

  private RunningProcess start(String... args) {
    return runner.start(commands.spec(commands.dnf(args), TIMEOUT).withOutputLimits(OUTPUT_LIMIT, OUTPUT_LIMIT));
  }

  private static BackendRefusal failure(String what, ProcessResult result) {
    String text = (result.stderr().text() + "\n" + result.stdout().text()).strip();
    return new BackendRefusal(ErrorCode.BACKEND_UNAVAILABLE, what + " failed (exit " + result.exitCode() + "): "
        + text.lines().reduce((a, b) -> b).orElse("no output"), new JsonObject().put("exit_code", result.exitCode()));
  }
}
