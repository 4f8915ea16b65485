package io.linuxpatch.fleet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What {@code fleet apply --record FILE} keeps of a run, rewritten after every batch: the hosts, their job ids and
 * outcomes. {@code fleet rollback --run FILE} rolls back every job it names.
 *
 * @param operation {@code apply} or {@code rollback}
 * @param startedAt when the run began
 * @param results   each host's result so far
 */
public record RunRecord(String operation, Instant startedAt, List<HostResult> results) {

  public void write(Path file) throws IOException {
    JsonArray hosts = new JsonArray();
    results.forEach(r -> hosts.add(r.toJson()));
    PlanFile.writeAtomically(file, new JsonObject().put("kind", "linux-patch-api fleet run")
        .put("operation", operation).put("started_at", startedAt.toString()).put("hosts", hosts).encodePrettily() + "\n");
  }

  public static RunRecord read(Path file) throws IOException {
    try {
      JsonObject json = new JsonObject(Files.readString(file));
      if (!"linux-patch-api fleet run".equals(json.getString("kind"))) {
        throw new IOException(file + " is not a run record written by fleet apply --record");
      }
      List<HostResult> results = json.getJsonArray("hosts").stream()
          .map(o -> HostResult.fromJson((JsonObject) o)).toList();
      return new RunRecord(json.getString("operation"), Instant.parse(json.getString("started_at")), results);
    } catch (RuntimeException malformed) {
      throw PlanFile.unreadable(file, "a run record written by fleet apply --record", malformed);
    }
  }
}
