package io.linuxpatch.fleet;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fleet plan}: every host's dry-run plan of a patch run, merged into one review (which package goes from which
 * version to which on how many hosts); {@code --out FILE} keeps the plan ids for {@code fleet apply --plan FILE}.
 * Exit 0 when every host gave a plan, 3 otherwise.
 */
@Command(name = "plan", mixinStandardHelpOptions = true, description = "Dry-run plans of every host, merged into "
    + "one review; --out FILE keeps each host's plan_id for apply --plan FILE.")
public final class PlanCommand extends FleetSubcommand {

  @Mixin
  PatchSelection selection = new PatchSelection();

  @Option(names = "--out", paramLabel = "FILE", description = "write the reviewed plan (with plan ids) to FILE")
  Path out;

  @Override
  int run() throws Exception {
    List<Host> hosts = options.hosts();
    PrintStream stdout = FleetOptions.out();
    PlanFile file;
    try (AgentClient client = options.client()) {
      file = PlanFile.reviewed(selection.request(),
          Planner.plan(client, hosts, selection.request(), options.parallel).await());
    }
    if (out != null) {
      file.write(out);
    }
    if (options.json) {
      file.hosts().forEach(plan -> stdout.println(plan.toJson().encode()));
    } else {
      print(file, stdout);
    }
    return file.hosts().stream().allMatch(p -> p.plan() != null) ? ExitCodes.OK : ExitCodes.SKIPPED;
  }

  private void print(PlanFile file, PrintStream stdout) {
    List<PlanReview.Change> changes = PlanReview.of(file.hosts());
    if (changes.isEmpty()) {
      stdout.println("Nothing to change on any host.");
    } else {
      PlanReview.table(changes, file.hosts().size()).print(stdout);
    }
    stdout.println();
    Table hosts = new Table("HOST", "CHANGES", "REBOOT", "PLAN", "ERROR");
    for (HostPlan plan : file.hosts()) {
      if (plan.plan() == null) {
        hosts.row(plan.host(), null, null, null, plan.errorCode() + ": " + plan.message());
      } else {
        int n = 0;
        for (String action : HostPlan.ACTIONS) {
          n += plan.plan().getJsonArray(action, new io.vertx.core.json.JsonArray()).size();
        }
        hosts.row(plan.host(), n, plan.plan().getBoolean("requires_reboot", false) ? "yes" : "no",
            plan.planId().substring(0, 12), null);
      }
    }
    hosts.print(stdout);
    if (out != null) {
      stdout.println();
      stdout.println("Plan written to " + out + "; apply it with: fleet apply --plan " + out);
    }
  }
}
