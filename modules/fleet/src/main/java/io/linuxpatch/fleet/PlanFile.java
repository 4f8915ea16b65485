package io.linuxpatch.fleet;

import io.linuxpatch.pki.PemFiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

/**
 * The reviewed plan {@code fleet plan --out FILE} writes and {@code fleet apply --plan FILE} executes: the request
 * every host was planned with and each host's plan with its {@code plan_id}.
 *
 * @param reviewId  names this review: with each host's plan id it makes the jobs' Idempotency-Keys, so that applying
 *                  this file again answers its first jobs, while a new review of a host that came back to the same
 *                  state (same plan id, e.g. after a rollback) starts a new job
 * @param createdAt when the plans were made
 * @param request   the body of the patch run (without plan_id)
 * @param hosts     each host's plan, in the hosts' order
 */
public record PlanFile(String reviewId, Instant createdAt, JsonObject request, List<HostPlan> hosts) {

  /** A new review of {@code hosts}' plans, made now. */
  public static PlanFile reviewed(JsonObject request, List<HostPlan> hosts) {
    return new PlanFile(java.util.UUID.randomUUID().toString(), Instant.now(), request, hosts);
  }

  /** The Idempotency-Key of {@code host}'s job: this review and the host's plan id (at most 113 characters). */
  public String idempotencyKey(HostPlan host) {
    return "fleet-apply-" + reviewId + "-" + host.planId();
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    hosts.forEach(h -> list.add(h.toJson()));
    return new JsonObject().put("kind", "linux-patch-api fleet plan").put("review_id", reviewId)
        .put("created_at", createdAt.toString())
        .put("request", request).put("hosts", list);
  }

  public void write(Path file) throws IOException {
    writeAtomically(file, toJson().encodePrettily() + "\n");
  }

  public static PlanFile read(Path file) throws IOException {
    try {
      JsonObject json = new JsonObject(Files.readString(file));
      if (!"linux-patch-api fleet plan".equals(json.getString("kind"))) {
        throw new IOException(file + " is not a plan written by fleet plan --out");
      }
      List<HostPlan> hosts = json.getJsonArray("hosts").stream().map(o -> HostPlan.fromJson((JsonObject) o)).toList();
      return new PlanFile(json.getString("review_id"), Instant.parse(json.getString("created_at")),
          json.getJsonObject("request"), hosts);
    } catch (RuntimeException malformed) {
      throw unreadable(file, "a plan written by fleet plan --out", malformed);
    }
  }

  /** Why {@code file} cannot be used as {@code what}: not JSON, or JSON of another shape. */
  static IOException unreadable(Path file, String what, RuntimeException cause) {
    String detail = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
    return new IOException(file + " is not " + what + " (" + detail + ")", cause);
  }

  /** Written to a temporary file, synced and moved into place, so a reader never sees half a file. */
  static void writeAtomically(Path file, String text) throws IOException {
    PemFiles.writeAtomically(file, text.getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString("rw-r--r--"));
  }
}
