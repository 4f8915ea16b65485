package io.linuxpatch.fleet;

import picocli.CommandLine.Command;

/**
 * {@code linux-patch-api fleet} (OPR-1): the operator's command line over many agents with one client certificate —
 * status, a reviewed plan, a batched apply with live progress and a run record, rollback of a run, jobs and events
 * across hosts. Nothing central runs: every subcommand talks to the agents' own API.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
    description = "Manage many agents at once: status, plan, apply, rollback, jobs, watch.",
    subcommands = {StatusCommand.class, PlanCommand.class, ApplyCommand.class, RollbackCommand.class,
        JobsCommand.class, FleetWatchCommand.class},
    footer = {"", "Exit codes: 0 done everywhere; 1 error; 2 usage; 3 hosts skipped (unreachable, stale plan); "
        + "4 a host failed; 5 stopped after --max-failures."})
public final class FleetCommand implements Runnable {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand: status, plan, apply, "
        + "rollback, jobs or watch");
  }
}
