package io.linuxpatch.fleet;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * Runs a {@link Rollout} the way {@code apply} and {@code rollback} share: the progress view that fits the output,
 * the run record rewritten after each batch, then a summary table (or a JSON summary line) and the exit code.
 */
final class RolloutPrinter {

  private RolloutPrinter() {
  }

  static int run(String operation, FleetOptions options, RolloutOptions rollout, List<Submission> submissions) {
    PrintStream out = FleetOptions.out();
    ProgressView view = ProgressView.choose(out, options.json, ProgressView.stdoutIsTerminal());
    Instant started = Instant.now();
    Rollout.Report report;
    try (AgentClient client = options.client()) {
      report = new Rollout(client, rollout.batch, rollout.maxFailures, view).run(submissions, results -> {
        if (rollout.record != null) {
          try {
            new RunRecord(operation, started, results).write(rollout.record);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run record " + rollout.record, e);
          }
        }
      });
    }
    int exit = ExitCodes.of(report);
    if (options.json) {
      out.println(new JsonObject().put("event", "summary").put("operation", operation).put("stopped", report.stopped())
          .put("exit_code", exit).encode());
      return exit;
    }
    out.println();
    Table table = new Table("HOST", "OUTCOME", "JOB", "CHANGES", "ERROR");
    for (HostResult r : report.results()) {
      table.row(r.host(), r.outcome().label(), r.jobId(), r.changes().size(),
          r.errorCode() == null ? (r.outcome() == Outcome.COMPLETED ? null : r.message())
              : r.errorCode() + ": " + r.message());
    }
    table.print(out);
    if (report.stopped()) {
      out.println("Stopped after --max-failures " + rollout.maxFailures + ": hosts not started were left untouched.");
    }
    if (rollout.record != null) {
      out.println("Run recorded in " + rollout.record + (operation.equals("apply")
          ? "; undo it with: fleet rollback --run " + rollout.record : ""));
    }
    return exit;
  }
}
