package io.linuxpatch.fleet;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fleet apply}: a patch run on every host in batches, each job submitted with its host's reviewed
 * {@code plan_id} (a host whose state moved since the review is refused PLAN_STALE and skipped) and an
 * Idempotency-Key made of the review's id and that plan id (running the same plan file again returns the first jobs;
 * a new review starts new ones). Without
 * {@code --plan} each host is planned now and that plan applied. Exit codes: {@link ExitCodes}.
 */
@Command(name = "apply", mixinStandardHelpOptions = true, description = "Apply patches in batches with live "
    + "progress: the reviewed plan of --plan FILE, or a fresh plan of --security-only/--min-severity/--exclude.")
public final class ApplyCommand extends FleetSubcommand {

  @Mixin
  PatchSelection selection = new PatchSelection();

  @Mixin
  RolloutOptions rollout = new RolloutOptions();

  @Option(names = "--plan", paramLabel = "FILE", description = "the reviewed plan of fleet plan --out FILE (its "
      + "hosts and request; --hosts and the selection options are then not used)")
  Path plan;

  @Override
  int run() throws Exception {
    PlanFile reviewed;
    if (plan != null) {
      reviewed = PlanFile.read(plan);
    } else {
      List<Host> hosts = options.hosts();
      try (AgentClient client = options.client()) {
        reviewed = PlanFile.reviewed(selection.request(),
            Planner.plan(client, hosts, selection.request(), options.parallel).await());
      }
    }
    return RolloutPrinter.run("apply", options, rollout, submissions(reviewed));
  }

  private List<Submission> submissions(PlanFile reviewed) {
    List<Submission> submissions = new ArrayList<>();
    for (HostPlan hostPlan : reviewed.hosts()) {
      Host host = hostPlan.host();
      if (hostPlan.plan() == null) {
        // Nothing reviewed, nothing to apply: said as the review found it (a host that was down is still reported as
        // unreachable; the others go on).
        submissions.add(Submission.skip(host, "UNREACHABLE".equals(hostPlan.errorCode()) ? Outcome.UNREACHABLE
            : Outcome.NOT_STARTED, "no plan was reviewed for this host (" + hostPlan.errorCode() + ": "
            + hostPlan.message() + ")"));
      } else if (hostPlan.empty()) {
        submissions.add(Submission.skip(host, Outcome.NOTHING_TO_DO, "the reviewed plan changes nothing"));
      } else {
        JsonObject body = reviewed.request().copy().put("plan_id", hostPlan.planId());
        if (selection.allowReboot) {
          body.put("allow_reboot", true);
        }
        submissions.add(Submission.of(host, "/api/v1/patches/apply", body, reviewed.idempotencyKey(hostPlan)));
      }
    }
    return submissions;
  }
}
