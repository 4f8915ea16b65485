package io.linuxpatch.cluster;

import io.linuxpatch.contract.config.ClusterConfig;
import io.linuxpatch.contract.config.TlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;

/**
 * A clustered Vert.x instance of its own, separate from the agent's: Hazelcast membership from
 * {@link MemberNetwork}, event-bus transport from {@link EventBusTls}. The agent's command consumers live on
 * the agent's non-clustered instance, which has no network event bus at all, so a cluster node has nothing
 * it could send a command to; this instance only ever publishes (agent) or subscribes ({@code events}).
 *
 * <p>It is small on purpose: one event loop and a few workers (Hazelcast calls block).
 */
public final class ClusterNode {

  private final Vertx vertx;
  private final HazelcastClusterManager manager;

  private ClusterNode(Vertx vertx, HazelcastClusterManager manager) {
    this.vertx = vertx;
    this.manager = manager;
  }

  /** Joins the cluster; completes once this node is a member and its event-bus server listens. */
  public static Future<ClusterNode> join(ClusterConfig cluster, TlsConfig tls) {
    HazelcastClusterManager manager = new HazelcastClusterManager(MemberNetwork.hazelcastConfig(cluster));
    VertxOptions options = new VertxOptions()
        .setEventLoopPoolSize(1)
        .setWorkerPoolSize(4)
        .setInternalBlockingPoolSize(4)
        .setEventBusOptions(EventBusTls.options(cluster, tls));
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered()
        .map(vertx -> new ClusterNode(vertx, manager));
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Node ids of the current members, this one included; empty once the node has left. */
  public List<String> members() {
    return manager.isActive() ? manager.getNodes() : List.of();
  }

  public String nodeId() {
    return manager.getNodeId();
  }

  /** Leaves the cluster and closes the instance. */
  public Future<Void> leave() {
    return vertx.close();
  }
}
