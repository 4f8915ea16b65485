package io.linuxpatch.agent;

import io.linuxpatch.fleet.AgentClient;
import io.linuxpatch.fleet.AgentRefusal;
import io.linuxpatch.fleet.ClientCertificateOptions;
import io.linuxpatch.fleet.Host;
import io.linuxpatch.fleet.JobEventStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code linux-patch-api watch [JOB_ID...]}: follows job events over the WebSocket endpoint (JOB-9) with a
 * client certificate and prints each frame as one JSON line — the developer walkthrough's way to watch a
 * job. With job ids it exits once each has completed; without, it follows every job until interrupted. A job id the
 * agent refuses (an error frame) or does not know (404) ends it with exit 1 and the agent's error on stderr, rather
 * than a wait for events that will never come. The protocol client is {@link JobEventStream}, which
 * {@code fleet apply} uses too.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Print job events from the agent's WebSocket (/api/v1/ws/jobs), one JSON line each. "
        + "Certificates default to the developer-mode files under --dir.")
public final class WatchCommand implements Callable<Integer> {

  @Parameters(arity = "0..*", paramLabel = "JOB_ID", description = "jobs to follow until they complete (default: all jobs)")
  List<String> jobIds = List.of();

  @Mixin
  ClientCertificateOptions certificates = new ClientCertificateOptions();

  @Option(names = "--url", paramLabel = "URL", description = "agent base URL (default: ${DEFAULT-VALUE})")
  URI url = URI.create("https://localhost:12443");

  @Override
  public Integer call() {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Host host = new Host(url.toString());
    try (AgentClient client = new AgentClient(certificates.tls())) {
      new JobEventStream(client, host).follow(jobIds, frame -> out.println(frame.encode())).await();
      return 0;
    } catch (AgentRefusal refused) {
      System.err.println("linux-patch-api watch: " + refused.getMessage());
      return 1;
    } catch (RuntimeException failed) {
      System.err.println("cannot follow the jobs of " + url + ": " + failed.getMessage());
      return 1;
    }
  }
}
