package io.linuxpatch.fleet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fleet rollback --run FILE}: rolls back (JOB-8), in batches, every job of an earlier {@code apply} whose run
 * record {@code apply --record FILE} wrote — the jobs that completed and those that failed part-way; hosts where no
 * job ran have nothing to undo. Exit codes: {@link ExitCodes}.
 */
@Command(name = "rollback", mixinStandardHelpOptions = true, description = "Roll back, in batches, every job of an "
    + "earlier fleet apply recorded with --record FILE.")
public final class RollbackCommand extends FleetSubcommand {

  @Mixin
  RolloutOptions rollout = new RolloutOptions();

  @Option(names = "--run", paramLabel = "FILE", required = true, description = "the run record of fleet apply --record")
  Path run;

  @Override
  int run() throws Exception {
    RunRecord record = RunRecord.read(run);
    List<Submission> submissions = new ArrayList<>();
    for (HostResult result : record.results()) {
      boolean ran = result.jobId() != null
          && (result.outcome() == Outcome.COMPLETED || result.outcome() == Outcome.FAILED);
      submissions.add(ran
          ? Submission.of(result.host(), "/api/v1/jobs/" + result.jobId() + "/rollback", null,
              "fleet-rollback-" + result.jobId())
          : Submission.skip(result.host(), Outcome.NOTHING_TO_DO, "no job ran in that run (" + result.outcome().label() + ")"));
    }
    return RolloutPrinter.run("rollback", options, rollout, submissions);
  }
}
