package io.linuxpatch.agent.dev;

import io.linuxpatch.agent.AgentLock;
import io.linuxpatch.agent.AgentRunner;
import io.linuxpatch.agent.config.ConfigFile;
import io.linuxpatch.packages.backend.DemoSandboxes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code linux-patch-api dev} (OPS-3): sets up DIR once, then runs the agent on it and prints a curl command. */
@Command(name = "dev", mixinStandardHelpOptions = true,
    description = "Create a development CA, certificates, allow-list and config under DIR (reusing what exists), "
        + "then run the agent on them.")
public final class DevCommand implements Callable<Integer> {

  @Option(names = "--dir", paramLabel = "DIR", description = "where to keep the files (default: .dev for apt, "
      + ".dev-dnf, .dev-pacman)")
  Path dir;

  @Option(names = "--backend", paramLabel = "NAME", description = "the demo sandbox's package manager: apt, dnf or "
      + "pacman (default: ${DEFAULT-VALUE})")
  String backend = "apt";

  @Option(names = "--port", paramLabel = "N", description = "API port (default: ${DEFAULT-VALUE})")
  int port = 12443;

  @Option(names = "--bind", paramLabel = "ADDR", description = "listen address (default: ${DEFAULT-VALUE})")
  String bind = "127.0.0.1";

  @Option(names = "--ca-from", paramLabel = "DIR2", description = "use the development CA of another developer-mode "
      + "directory (copied into DIR when DIR has none yet): agents on several ports share one CA, and the client "
      + "certificate of either directory works with all of them (fleet)")
  Path caFrom;

  @Override
  public Integer call() throws IOException {
    if (!DemoSandboxes.backends().contains(backend)) {
      System.err.println("linux-patch-api dev: --backend must be one of " + DemoSandboxes.backends() + ", not " + backend);
      return 2;
    }
    if (dir == null) {
      // One directory per backend: a config (and sandbox) made for one is never silently reused for another.
      dir = Path.of("apt".equals(backend) ? ".dev" : ".dev-" + backend);
    }
    AgentLock lock;
    try {
      // OPS-5: before a single file of DIR is written, so that a second `dev` beside a running one changes nothing.
      lock = lockOf(DevSetup.Layout.of(dir));
    } catch (AgentLock.Held running) {
      System.err.println(running.getMessage());
      return 1;
    }
    DevSetup.Layout layout;
    try {
      layout = new DevSetup(System.out).prepare(dir, port, bind, backend, caFrom);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
    return AgentRunner.runUntilStopped(layout.config(), false, () -> printHint(layout), lock);
  }

  /**
   * The locks of the data directory and audit log the agent will use: those of DIR's config when it exists (it may
   * have been edited), else where developer mode's config puts them.
   */
  private static AgentLock lockOf(DevSetup.Layout layout) throws IOException {
    if (Files.exists(layout.config())) {
      ConfigFile existing = ConfigFile.read(layout.config());
      if (existing.valid()) {
        return AgentLock.acquire(existing.config());
      }
    }
    return AgentLock.acquire(layout.data(), layout.auditLog());
  }

  private static void printHint(DevSetup.Layout layout) {
    System.out.println();
    System.out.println("linux-patch-api is running in developer mode. Try:");
    System.out.println("  " + curl(layout, "/health"));
    System.out.println("Same agent from any directory: " + SameAgentCommand.with(layout.config()));
    System.out.println("Stop with Ctrl-C.");
    System.out.flush();
  }

  /** The ready-to-paste curl command for {@code path}; host and port come from the config actually used. */
  static String curl(DevSetup.Layout layout, String path) {
    String port = portOf(layout);
    return "curl --cacert " + layout.caCert() + " --cert " + layout.clientCert() + " --key " + layout.clientKey()
        + " https://localhost:" + port + path;
  }

  private static String portOf(DevSetup.Layout layout) {
    ConfigFile file = ConfigFile.read(layout.config());
    return String.valueOf(file.config().server().port());
  }
}
