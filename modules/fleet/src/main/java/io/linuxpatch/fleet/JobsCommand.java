package io.linuxpatch.fleet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fleet jobs}: the newest jobs of every host (endpoint 11), one table, or one JSON line per job. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "The newest jobs of every host.")
public final class JobsCommand extends FleetSubcommand {

  @Option(names = "--status", paramLabel = "S", description = "only jobs in status S (pending, running, completed, "
      + "failed, cancelled, timeout)")
  String status;

  @Option(names = "--limit", paramLabel = "N", description = "jobs per host (default: ${DEFAULT-VALUE})")
  int limit = 10;

  @Override
  int run() throws Exception {
    List<Host> hosts = options.hosts();
    PrintStream out = FleetOptions.out();
    String path = "/api/v1/jobs?sort=created_at&order=desc&limit=" + limit
        + (status == null ? "" : "&status=" + URLEncoder.encode(status, StandardCharsets.UTF_8));
    List<JsonObject> answers;
    try (AgentClient client = options.client()) {
      answers = Bounded.map(hosts, options.parallel, host -> client.get(host, path)
          .map(answer -> answer.ok() ? new JsonObject().put("host", host.url()).put("jobs", answer.data().getJsonArray("jobs"))
              : error(host, answer.errorCode(), answer.errorMessage()))
          .otherwise(e -> error(host, "UNREACHABLE", String.valueOf(e.getMessage())))).await();
    }
    Table table = new Table("HOST", "JOB", "OPERATION", "STATUS", "PROGRESS", "CREATED", "ERROR");
    boolean allAnswered = true;
    for (JsonObject answer : answers) {
      Host host = new Host(answer.getString("host"));
      if (answer.containsKey("error_code")) {
        allAnswered = false;
        if (options.json) {
          out.println(answer.encode());
        } else {
          table.row(host, null, null, null, null, null, answer.getString("error_code") + ": " + answer.getString("message"));
        }
        continue;
      }
      for (Object item : answer.getJsonArray("jobs", new JsonArray())) {
        JsonObject job = (JsonObject) item;
        if (options.json) {
          out.println(new JsonObject().put("host", host.url()).put("job", job).encode());
        } else {
          table.row(host, job.getString("job_id"), job.getString("operation"), job.getString("status"),
              job.getValue("progress") + "%", job.getString("created_at"), job.getString("error_code"));
        }
      }
    }
    if (!options.json) {
      table.print(out);
    }
    return allAnswered ? ExitCodes.OK : ExitCodes.SKIPPED;
  }

  private static JsonObject error(Host host, String code, String message) {
    return new JsonObject().put("host", host.url()).put("error_code", code).put("message", message);
  }
}
