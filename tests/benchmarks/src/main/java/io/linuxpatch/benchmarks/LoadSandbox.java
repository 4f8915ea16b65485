package io.linuxpatch.benchmarks;

import io.linuxpatch.agent.dev.DevFiles;
import io.linuxpatch.agent.dev.DevSetup;
import io.linuxpatch.packages.backend.apt.sandbox.SandboxRoot;
import io.linuxpatch.packages.backend.apt.sandbox.ScaleSandbox;
import io.linuxpatch.process.ProcessRunner;
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
 * <p>With {@code scale} instead of a number, the agent is pointed at a {@link ScaleSandbox} of a stock Ubuntu
 * server's size instead (100,000 packages, 150 MB of lists, 1,500 installed; issue 20), built under
 * {@code DIR/scale}: the real-scale rows of the report.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.linuxpatch.benchmarks.LoadSandbox DIR PORT [PACKAGES|scale]}
 */
public final class LoadSandbox {

  private static final String MARKER = "# lpa-load-benchmark";

  private LoadSandbox() {}

  /** Builds the real-scale sandbox once and replaces the config's package_manager section with it. */
  private static void pointAtScaleSandbox(Path dir, Path config) throws IOException {
    Path scaleDir = dir.resolve("scale");
    SandboxRoot root;
    if (Files.isRegularFile(scaleDir.resolve("root/var/cache/apt/pkgcache.bin"))) {
      root = SandboxRoot.at(scaleDir.resolve("root"), ProcessRunner.create());
      System.out.println("load: reusing the real-scale sandbox " + root.root());
    } else {
      long started = System.nanoTime();
      root = ScaleSandbox.create(scaleDir, ScaleSandbox.Size.UBUNTU_SERVER, 2404, ProcessRunner.create());
      System.out.printf("load: built the real-scale sandbox %s in %d ms%n", root.root(),
          (System.nanoTime() - started) / 1_000_000);
    }
    String text = Files.readString(config);
    String replaced = text.replaceFirst("(?s)package_manager:\n.*?\n(?=system:)",
        java.util.regex.Matcher.quoteReplacement("package_manager:\n" + DevFiles.packageManagerSection(root) + "\n"));
    if (replaced.equals(text) && !text.contains(root.root().toString())) {
      throw new IllegalStateException("no package_manager section to replace in " + config);
    }
    Files.writeString(config, replaced);
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: LoadSandbox DIR PORT [PACKAGES]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    boolean scale = args.length > 2 && args[2].equals("scale");
    int count = args.length > 2 && !scale ? Integer.parseInt(args[2]) : 3_000;
    DevSetup.Layout layout = new DevSetup(System.out).prepare(dir, port, "127.0.0.1");

    String config = Files.readString(layout.config());
    if (!config.contains(MARKER)) {
      Files.writeString(layout.config(), MARKER + ": no rate limits, warnings only\n"
          + "rate_limit:\n  enabled: false\n", StandardOpenOption.APPEND);
    }
    if (scale) {
      pointAtScaleSandbox(dir, layout.config());
      return;
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
