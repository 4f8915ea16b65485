package io.linuxpatch.fleet;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code fleet watch}: every job event of every host (JOB-9), one line each (one JSON line with {@code --json}),
 * until interrupted or every host's socket has closed. Each host first gets a {@code subscribed} line once its agent
 * has taken the subscription; a host that cannot be reached is named once (type {@code error}, code
 * {@code UNREACHABLE}) and the others are followed.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, description = "Follow the job events of every host.")
public final class FleetWatchCommand extends FleetSubcommand {

  @Override
  int run() throws Exception {
    List<Host> hosts = options.hosts();
    PrintStream out = FleetOptions.out();
    try (AgentClient client = options.client()) {
      List<Boolean> followed = Bounded.map(hosts, hosts.size(), host -> new JobEventStream(client, host)
          .followAll(() -> print(out, host, new JsonObject().put("type", "subscribed")), frame -> print(out, host, frame))
          .map(true)
          .otherwise(e -> {
            print(out, host, new JsonObject().put("type", "error").put("code", "UNREACHABLE")
                .put("message", String.valueOf(e.getMessage())));
            return false;
          })).await();
      return followed.contains(false) ? ExitCodes.SKIPPED : ExitCodes.OK;
    }
  }

  private void print(PrintStream out, Host host, JsonObject frame) {
    synchronized (out) {
      if (options.json) {
        out.println(frame.copy().put("host", host.url()).encode());
        return;
      }
      JsonObject job = frame.getJsonObject("job", new JsonObject());
      if ("subscribed".equals(frame.getString("type"))) {
        out.println(host + "  following every job");
        return;
      }
      out.println(host + "  " + frame.getString("type") + "  " + (job.isEmpty()
          ? frame.getString("code") + ": " + frame.getString("message")
          : job.getString("job_id") + "  " + job.getString("operation") + "  " + job.getString("status") + "  "
              + job.getValue("progress") + "%  " + job.getString("message", "")));
    }
  }
}
