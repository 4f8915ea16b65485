package io.linuxpatch.fleet;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How {@code fleet apply} and {@code fleet rollback} roll out: batch size, failure budget, run record. */
public final class RolloutOptions {

  @Option(names = "--batch", paramLabel = "N", description = "hosts per batch (default: ${DEFAULT-VALUE})")
  int batch = 5;

  @Option(names = "--max-failures", paramLabel = "K", description = "start no new batch once K hosts have failed; "
      + "0: never stop (default: ${DEFAULT-VALUE})")
  int maxFailures = 1;

  @Option(names = "--record", paramLabel = "FILE", description = "keep the run (hosts, job ids, outcomes) in FILE, "
      + "rewritten after every batch; fleet rollback --run FILE undoes it")
  Path record;
}
