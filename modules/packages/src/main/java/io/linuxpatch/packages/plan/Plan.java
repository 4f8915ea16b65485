package io.linuxpatch.packages.plan;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The exact transaction a dry run reports (endpoint table, "dry_run"): the package changes in the order apt
 * would make them, what was kept back, a reboot hint and the download size when known.
 *
 * @param actions           apt's order, which is also the order {@link #planId} hashes
 * @param keptBack          names apt kept back (holds, unresolvable or phased upgrades)
 * @param requiresReboot    a hint from {@link RebootHeuristic}, not a promise
 * @param downloadSizeBytes {@code null} unless apt printed it
 */
public record Plan(List<PlanAction> actions, List<String> keptBack, boolean requiresReboot, Long downloadSizeBytes) {

  /** Bumped whenever the canonical form below changes, so that old plan ids can never match new ones. */
  private static final String CANONICAL_FORM = "lpa-plan/1";

  public Plan {
    actions = List.copyOf(actions);
    keptBack = List.copyOf(keptBack);
  }

  /** The actions of one kind, in apt's order. */
  public List<PlanAction> actions(PlanAction.Kind kind) {
    return actions.stream().filter(a -> a.kind() == kind).toList();
  }

  /** Whether the plan changes nothing. */
  public boolean isEmpty() {
    return actions.isEmpty();
  }

  /**
   * The plan as the API shows it; purges are listed under {@code remove} with {@code "purge": true}.
   * The caller adds {@code plan_id}, which needs the package-state fingerprint.
   */
  public JsonObject toJson() {
    JsonArray remove = new JsonArray();
    actions.stream()
        .filter(a -> a.kind() == PlanAction.Kind.REMOVE || a.kind() == PlanAction.Kind.PURGE)
        .forEach(a -> remove.add(a.toJson()));
    return new JsonObject()
        .put("install", array(PlanAction.Kind.INSTALL))
        .put("upgrade", array(PlanAction.Kind.UPGRADE))
        .put("downgrade", array(PlanAction.Kind.DOWNGRADE))
        .put("reinstall", array(PlanAction.Kind.REINSTALL))
        .put("remove", remove)
        .put("kept_back", new JsonArray(keptBack))
        .put("requires_reboot", requiresReboot)
        .put("download_size_bytes", downloadSizeBytes);
  }

  private JsonArray array(PlanAction.Kind kind) {
    JsonArray array = new JsonArray();
    actions(kind).forEach(a -> array.add(a.toJson()));
    return array;
  }

  /**
   * The plan id: SHA-256 (lower-case hex) of the actions in apt's order (kind, name, arch, from and to
   * version) and of the package-state fingerprint the plan was computed on. The same transaction on the same
   * state gives the same id in every run; any different change, order or state gives another id. Archives
   * and the reboot hint are left out: they describe the transaction, they do not change it.
   *
   * @param packageStateFingerprint identifies the package database and lists the simulation read (e.g. a
   *                                hash of the dpkg status file and the lists' mtimes)
   */
  public String planId(String packageStateFingerprint) {
    Objects.requireNonNull(packageStateFingerprint, "packageStateFingerprint");
    StringBuilder canonical = new StringBuilder(CANONICAL_FORM).append('\n');
    for (PlanAction a : actions) {
      // apt names and versions never contain tabs or newlines, so these separators cannot be forged
      canonical.append(a.kind()).append('\t')
          .append(a.name()).append('\t')
          .append(orEmpty(a.arch())).append('\t')
          .append(orEmpty(a.fromVersion())).append('\t')
          .append(orEmpty(a.toVersion())).append('\n');
    }
    canonical.append("state\t").append(packageStateFingerprint).append('\n');
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
