package io.linuxpatch.benchmarks;

import io.linuxpatch.agent.dev.DevSetup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Prepares the directory the load benchmark ({@code tests/benchmarks/load/run.sh}) runs the agent on:
 * developer mode's files (ECDSA P-256 CA, server and client certificates, loopback allow-list, complete
 * config, demo sandbox built with the real dpkg and apt) plus 3,000 synthetic installed packages appended
 * to the sandbox's dpkg status file, so that {@code GET /api/v1/packages?limit=1000} lists 1,000 of a
 * server-sized inventory. Rate limits are switched off in that config: the benchmark measures throughput,
 * not SEC-8's budget of 120 reads a minute. A second run reuses everything.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.linuxpatch.benchmarks.LoadSandbox DIR PORT [PACKAGES]}
 */
public final class LoadSandbox {

  private static final String MARKER = "# lpa-load-benchmark";

  private LoadSandbox() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: LoadSandbox DIR PORT [PACKAGES]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    int count = args.length > 2 ? Integer.parseInt(args[2]) : 3_000;
    DevSetup.Layout layout = new DevSetup(System.out).prepare(dir, port, "127.0.0.1");

    String config = Files.readString(layout.config());
    if (!config.contains(MARKER)) {
      Files.writeString(layout.config(), MARKER + ": no rate limits, warnings only\n"
          + "rate_limit:\n  enabled: false\n", StandardOpenOption.APPEND);
    }
    Path status = layout.sandbox().resolve("root/var/lib/dpkg/status");
    if (!Files.isRegularFile(status)) {
      throw new IllegalStateException("no demo sandbox at " + layout.sandbox() + " (needs dpkg-deb and apt-get)");
    }
    String text = Files.readString(status, StandardCharsets.UTF_8);
    if (!text.contains("Package: pkg-0\n")) {
      String separator = text.isEmpty() || text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n";
      Files.writeString(status, separator + SyntheticStatus.selfContained(count), StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
      System.out.println("load: appended " + count + " installed packages to " + status);
    } else {
      System.out.println("load: reusing " + status);
    }
  }
}
