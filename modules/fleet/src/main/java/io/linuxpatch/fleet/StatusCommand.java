package io.linuxpatch.fleet;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code fleet status}: one row per host — reachable, OS, backend, packages with updates, security updates by
 * severity, reboot required, running jobs, certificate expiry. Exit 0 when every host answered, 3 otherwise.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "One row per host: updates, security "
    + "updates by severity, reboot required, running jobs, certificate expiry.")
public final class StatusCommand extends FleetSubcommand {

  @Override
  int run() throws Exception {
    List<Host> hosts = options.hosts();
    PrintStream out = FleetOptions.out();
    List<JsonObject> rows;
    try (AgentClient client = options.client()) {
      rows = Bounded.map(hosts, options.parallel, host -> HostStatus.probe(client, host)).await();
    }
    if (options.json) {
      rows.forEach(row -> out.println(row.encode()));
    } else {
      Table table = new Table("HOST", "REACHABLE", "OS", "BACKEND", "UPDATES", "SECURITY", "REBOOT", "JOBS",
          "CERT DAYS", "ERROR");
      for (JsonObject row : rows) {
        table.row(row.getString("host"), row.getBoolean("reachable") ? "yes" : "no", row.getString("os"),
            row.getString("backend"), row.getValue("updates"), row.getBoolean("reachable")
                ? HostStatus.securityText(row.getJsonObject("security")) : null,
            row.getValue("reboot_required") == null ? null : row.getBoolean("reboot_required") ? "yes" : "no",
            row.getValue("running_jobs"), row.getValue("certificate_days_left"),
            row.getString("error_code") == null ? null : row.getString("error_code") + ": " + row.getString("message"));
      }
      table.print(out);
    }
    return rows.stream().allMatch(r -> r.getBoolean("reachable") && r.getString("error_code") == null)
        ? ExitCodes.OK : ExitCodes.SKIPPED;
  }
}
