package io.linuxpatch.agent;

import io.linuxpatch.agent.dev.DevCommand;
import io.linuxpatch.contract.AgentVersion;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code linux-patch-api} command line (CFG-3): runs the agent, checks a configuration, enrolls with a fleet
 * manager or renews the certificates, or sets up developer mode. It only parses arguments and hands over; all wiring lives in {@link AgentRunner}.
 */
@Command(name = "linux-patch-api", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Per-host agent managing packages and security patches over a mutual-TLS REST API.",
    subcommands = {DevCommand.class, AuditCommand.class, WatchCommand.class, EventsCommand.class,
        io.linuxpatch.fleet.FleetCommand.class,
        TrainCommand.class})
public final class Main implements Callable<Integer> {

  static final Path DEFAULT_CONFIG = Path.of("/etc/linux_patch_api/config.yaml");

  @Option(names = {"-c", "--config"}, paramLabel = "PATH", description = "configuration file (default: ${DEFAULT-VALUE})")
  Path config = DEFAULT_CONFIG;

  @Option(names = {"-v", "--verbose"}, description = "log at debug level")
  boolean verbose;

  @Option(names = "--check-config", description = "validate configuration, allow-list and certificates, print the "
      + "findings and exit 0 (all valid) or 1")
  boolean checkConfig;

  @Option(names = "--enroll", paramLabel = "URL", description = "enroll with the fleet manager at URL (https://, "
      + "or http:// on 127.0.0.1/[::1]): a new key and CSR, poll for approval, install the certificates; exit 0 when "
      + "installed, 1 otherwise")
  String enroll;

  @Option(names = "--renew-certs", description = "renew the certificates now with enrollment.manager_url (a running "
      + "agent on the same data directory is asked to do it); exit 0 when renewed, 1 otherwise")
  boolean renewCerts;

  @Override
  public Integer call() {
    if (verbose) {
      LogLevels.apply("debug");
    }
    if ((enroll != null ? 1 : 0) + (renewCerts ? 1 : 0) + (checkConfig ? 1 : 0) > 1) {
      System.err.println("linux-patch-api: --enroll, --renew-certs and --check-config are used one at a time");
      return 1;
    }
    if (checkConfig) {
      return new ConfigCheck(System.out).run(config.toAbsolutePath());
    }
    if (enroll != null) {
      return new EnrollCommand(System.out, System.err).enroll(config.toAbsolutePath(), enroll, verbose);
    }
    if (renewCerts) {
      return new EnrollCommand(System.out, System.err).renew(config.toAbsolutePath(), verbose);
    }
    return AgentRunner.runUntilStopped(config.toAbsolutePath(), verbose, null);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main());
  }

  /** Prints the build's version for {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"linux-patch-api " + AgentVersion.get(), "Java " + Runtime.version()};
    }
  }
}
