package io.linuxpatch.packages.advisory;

import io.vertx.core.json.JsonObject;

/**
 * Why a patch is (not) classified as security and where its severity comes from (SPEC "Provenance"):
 * {@code {"reason": "candidate from bookworm-security (Debian-Security)", "severity_source": …}}.
 */
public record Provenance(String reason, String severitySource) {

  /** The provenance of a classification reason and an advisory answer. */
  public static Provenance of(String classificationReason, AdvisoryMatch match) {
    return new Provenance(classificationReason, match.severitySource());
  }

  /** The {@code classification} object of a patch. */
  public JsonObject toJson() {
    return new JsonObject().put("reason", reason).put("severity_source", severitySource);
  }
}
