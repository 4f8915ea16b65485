package io.linuxpatch.packages.backend.pacman.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.pacman.sandbox.PacmanSandbox;
import io.linuxpatch.process.ProcessResult;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code pacman --print --print-format PacmanPrint.FORMAT} on a sandbox and parses what it printed. */
final class PrintCapture {

  private PrintCapture() {
  }

  /** {@code pacman OPERATION --print --print-format F [EXTRA…] -- TARGETS}; pacman must succeed. */
  static PacmanPrint print(PacmanSandbox sandbox, String operation, List<String> extra, String... targets) {
    List<String> args = new ArrayList<>(List.of(operation));
    args.addAll(PacmanPrint.arguments());
    args.addAll(extra);
    if (targets.length > 0) {
      args.add("--");
      args.addAll(List.of(targets));
    }
    ProcessResult result = sandbox.pacman(args.toArray(String[]::new));
    assertThat(result.exitCode()).as("pacman %s: %s", args, result.stderr().text()).isZero();
    PacmanPrint print = PacmanPrint.parse(result.stdout().text());
    assertThat(print.problems()).isEmpty();
    return print;
  }
}
