package io.linuxpatch.agent;

import io.linuxpatch.agent.config.ConfigFile;
import io.linuxpatch.cluster.ClusterNode;
import io.linuxpatch.cluster.EventRelay;
import io.linuxpatch.contract.Addresses;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code linux-patch-api events --config FILE [--address A]...} (CLU-1): the reference subscriber. It joins
 * the cluster described by FILE with nothing but a cluster node — no job, package, audit or HTTP verticle, no
 * audit log, data directory or API port — and prints each event as one JSON line on stdout, flushed per line;
 * every log line goes to stderr. On the agent's own host with the agent's own file it does not collide:
 * Hazelcast's port auto-increments and the event-bus port is ephemeral.
 */
@Command(name = "events", mixinStandardHelpOptions = true,
    description = "Subscribe to an agent cluster and print each event as one JSON line (logs on stderr).")
final class EventsCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(EventsCommand.class);

  @Option(names = {"-c", "--config"}, paramLabel = "PATH", description = "configuration file with the cluster "
      + "and tls sections (default: ${DEFAULT-VALUE})")
  Path config = Main.DEFAULT_CONFIG;

  @Option(names = "--address", paramLabel = "ADDRESS", description = "event address, repeatable: lpa.jobs.events "
      + "(default) or lpa.audit.events")
  List<String> addresses = List.of(Addresses.JOB_EVENTS);

  @Override
  public Integer call() throws Exception {
    // stdout carries events only. Whatever a library or a logging configuration writes to System.out
    // (logback's console target looks System.out up on every write) goes to stderr instead.
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    System.setOut(System.err);
    ConfigFile file = ConfigFile.read(config.toAbsolutePath());
    if (!file.valid()) {
      System.err.println("linux-patch-api events: configuration " + config + " is invalid:");
      file.problems().forEach(p -> System.err.println("  " + p));
      return 1;
    }
    if (!file.config().cluster().enabled()) {
      System.err.println("linux-patch-api events: cluster.enabled is false in " + config
          + ": no agent using this file publishes to a cluster");
      return 2;
    }
    for (String address : addresses) {
      if (!EventRelay.RELAYED.contains(address)) {
        // Only published events cross the cluster; anything else would never print a line.
        System.err.println("linux-patch-api events: " + address + " is not relayed; use one of " + EventRelay.RELAYED);
        return 2;
      }
    }
    LogLevels.apply(file.config().logging().level());
    ClusterNode node;
    try {
      node = ClusterNode.join(file.config().cluster(), file.config().tls()).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("could not join cluster '{}': {}", file.config().cluster().name(), e.toString());
      return 1;
    }
    for (String address : addresses) {
      // consumer, not localConsumer: this registration is what makes the agents send here.
      node.vertx().eventBus().consumer(address, m -> {
        Object body = m.body();
        out.println(body instanceof JsonObject json ? json.encode() : Json.encode(body));
        out.flush();
      }).completion().await(30, TimeUnit.SECONDS);
    }
    LOG.info("subscribed to {} in cluster '{}' as node {} ({} member(s))", addresses,
        file.config().cluster().name(), node.nodeId(), node.members().size());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.leave().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("did not leave the cluster cleanly: {}", e.toString());
      }
      stopped.countDown();
    }, "lpa-events-shutdown"));
    stopped.await();
    return 0;
  }
}
