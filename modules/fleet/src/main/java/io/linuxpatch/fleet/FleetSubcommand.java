package io.linuxpatch.fleet;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * What every {@code fleet} subcommand shares: the fleet options (hosts, certificates, {@code --json}, {@code --parallel})
 * and errors that stop it before it could talk to the hosts as one line and an exit code ({@link CommandErrors}).
 */
abstract class FleetSubcommand implements Callable<Integer> {

  @Mixin
  FleetOptions options = new FleetOptions();

  @Override
  public final Integer call() throws Exception {
    return CommandErrors.guard(this::run);
  }

  /** The subcommand itself: its exit code ({@link ExitCodes}). */
  abstract int run() throws Exception;
}
