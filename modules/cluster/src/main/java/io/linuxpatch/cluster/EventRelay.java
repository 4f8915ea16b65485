package io.linuxpatch.cluster;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.config.ClusterConfig;
import io.linuxpatch.contract.config.TlsConfig;
import io.linuxpatch.contract.health.HealthCheck;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CLU-1 on the agent: republishes {@link Addresses#JOB_EVENTS} and {@link Addresses#AUDIT_EVENTS} from the
 * agent's local event bus onto a {@link ClusterNode}, and owns the {@code cluster} health check.
 *
 * <p>Only these two addresses cross, and only outwards: the relay registers no consumer on the cluster,
 * so a message a remote node sends to any address has no handler here. Joining runs in the background,
 * so the API answers while the node is still looking for members ({@code /health}: degraded, joining).
 * A subscriber that leaves or dies only costs the cluster instance failed connections; the agent's own
 * event bus, and with it every job, never waits on the cluster.
 */
public final class EventRelay {

  /** The published addresses that leave the agent (SPEC CLU-1); everything else stays local. */
  public static final List<String> RELAYED = List.of(Addresses.JOB_EVENTS, Addresses.AUDIT_EVENTS);

  private static final Logger LOG = LoggerFactory.getLogger(EventRelay.class);
  /** How often membership is looked at for the health check; changes are published, not every look. */
  private static final long MEMBERS_POLL_MS = 2_000;

  private final Vertx agent;
  private final ClusterConfig config;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  private final AtomicReference<State> state = new AtomicReference<>(new State("joining", null, null, List.of()));
  private volatile long timer = -1;

  /** What the health check says: joining, joined (with the members' node ids) or failed (with the reason). */
  private record State(String phase, ClusterNode node, Context publisher, List<String> members) {}

  private EventRelay(Vertx agent, ClusterConfig config) {
    this.agent = agent;
    this.config = config;
  }

  /**
   * Starts joining in the background and returns at once; events published before the node has joined
   * are not relayed (there is nobody to relay them to yet).
   */
  public static EventRelay start(Vertx agent, ClusterConfig cluster, TlsConfig tls) {
    EventRelay relay = new EventRelay(agent, cluster);
    EventBus bus = agent.eventBus();
    bus.localConsumer(Addresses.HEALTH_RESYNC, m -> relay.publishHealth());
    for (String address : RELAYED) {
      relay.consumers.add(bus.localConsumer(address, m -> relay.relay(address, m.body())));
    }
    relay.publishHealth();
    LOG.info("joining cluster '{}' on {}:{} (members {}); the API does not wait for it", cluster.name(),
        cluster.host(), cluster.port(), cluster.members());
    Promise<ClusterNode> joined = Promise.promise();
    // Building a clustered Vert.x loads Hazelcast and creates its instance synchronously (seconds of class
    // loading on a busy host): never on one of the agent's event loops, which serve the API meanwhile.
    Thread joiner = new Thread(() -> {
      try {
        ClusterNode.join(cluster, tls).onComplete(joined);
      } catch (RuntimeException e) {
        joined.fail(e);
      }
    }, "lpa-cluster-join");
    joiner.setDaemon(true);
    joiner.start();
    joined.future().compose(node -> {
      // A verticle's context on the cluster instance: every publish runs there, in arrival order.
      Publisher publisher = new Publisher();
      return node.vertx().deployVerticle(publisher).map(id -> new State("joined", node, publisher.context(),
          node.members()));
    }).onComplete(result -> {
      if (result.succeeded()) {
        relay.state.set(result.result());
        LOG.info("joined cluster '{}' as node {} with {} member(s); relaying {}", cluster.name(),
            result.result().node().nodeId(), result.result().members().size(), RELAYED);
        relay.timer = agent.setPeriodic(MEMBERS_POLL_MS, t -> relay.pollMembers());
      } else {
        relay.state.set(new State("failed: " + result.cause().getMessage(), null, null, List.of()));
        LOG.error("could not join cluster '{}' on {}:{}: {}; events are not relayed, the agent runs on",
            cluster.name(), cluster.host(), cluster.port(), result.cause().toString());
      }
      relay.publishHealth();
    });
    return relay;
  }

  private void relay(String address, Object body) {
    State current = state.get();
    if (current.publisher() != null) {
      current.publisher().runOnContext(v -> current.node().vertx().eventBus().publish(address, body));
    }
  }

  private void pollMembers() {
    State current = state.get();
    if (current.node() == null) {
      return;
    }
    List<String> members = current.node().members();
    if (!members.equals(current.members())) {
      state.compareAndSet(current, new State(current.phase(), current.node(), current.publisher(), members));
      LOG.info("cluster '{}' now has {} member(s)", config.name(), members.size());
      publishHealth();
    }
  }

  private void publishHealth() {
    State current = state.get();
    JsonObject details = new JsonObject().put("enabled", true).put("name", config.name())
        .put("state", current.phase().startsWith("failed") ? "failed" : current.phase())
        .put("members", current.members().size())
        .put("member_ids", new JsonArray(current.members()))
        .put("relayed_addresses", new JsonArray(RELAYED));
    HealthCheck check;
    if (current.node() != null) {
      details.put("node_id", current.node().nodeId());
      check = HealthCheck.healthy("cluster", "joined cluster '" + config.name() + "' with "
          + current.members().size() + " member(s)", details);
    } else if ("joining".equals(current.phase())) {
      check = HealthCheck.degraded("cluster", "joining cluster '" + config.name() + "'; events are not relayed yet",
          details);
    } else {
      check = HealthCheck.degraded("cluster", "could not join cluster '" + config.name() + "' ("
          + current.phase().substring("failed: ".length()) + "); events are not relayed; check cluster.host, "
          + "cluster.port and the certificates, then restart", details);
    }
    agent.eventBus().publish(Addresses.HEALTH_CHECK, check);
  }

  /** Stops relaying and leaves the cluster; the agent's own bus is untouched. */
  public Future<Void> stop() {
    consumers.forEach(MessageConsumer::unregister);
    if (timer >= 0) {
      agent.cancelTimer(timer);
    }
    State current = state.getAndSet(new State("left", null, null, List.of()));
    return current.node() == null ? Future.succeededFuture() : current.node().leave();
  }

  /** Holds the context every relayed publish runs on. */
  private static final class Publisher extends VerticleBase {
    Context context() {
      return context;
    }
  }
}
