package io.linuxpatch.packages.plan;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One package change of a dry-run plan, with from and to versions and where the new version comes from.
 *
 * @param fromVersion the installed version, {@code null} for an install
 * @param toVersion   the version afterwards, {@code null} for a removal
 * @param archives    every archive the new version is available from, in apt's order; the first is where
 *                    the candidate comes from (empty for removals)
 */
public record PlanAction(Kind kind, String name, String arch, String fromVersion, String toVersion,
    List<CandidateArchive> archives) {

  /** What happens to the package. */
  public enum Kind {
    INSTALL, UPGRADE, DOWNGRADE, REINSTALL, REMOVE, PURGE
  }

  public PlanAction {
    archives = archives == null ? List.of() : List.copyOf(archives);
  }

  /** The Label of the archive the candidate comes from, or {@code null}. */
  public String origin() {
    return archives.isEmpty() ? null : archives.get(0).label();
  }

  /** The suite the candidate comes from (e.g. {@code bookworm-security}), or {@code null}. */
  public String suite() {
    return archives.isEmpty() ? null : archives.get(0).suite();
  }

  /** The plan entry as the API shows it. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("name", name)
        .put("arch", arch)
        .put("from_version", fromVersion)
        .put("to_version", toVersion)
        .put("origin", origin())
        .put("suite", suite());
    if (kind == Kind.PURGE) {
      json.put("purge", true);
    }
    return json;
  }
}
