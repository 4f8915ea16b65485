package io.linuxpatch.cluster;

import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.linuxpatch.contract.config.ClusterConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

/**
 * The Hazelcast member configuration of CLU-1: a fixed TCP/IP member list, no multicast or cloud
 * discovery, bound to {@code cluster.host} only, base port {@code cluster.port} with auto-increment so an
 * agent and an {@code events} subscriber on the same host and config file do not collide.
 *
 * <p>Hazelcast OSS has no member TLS: anyone who reaches this port can join the membership and read the
 * subscription registry. That is why the port must only be bound to a trusted interface and why nothing
 * that matters travels over it: event payloads go over the Vert.x event-bus connections, which require
 * client certificates from the agent's CA ({@link EventBusTls}).
 */
public final class MemberNetwork {

  /** Ports tried after {@code cluster.port}: enough for an agent, a subscriber and a spare on one host. */
  static final int PORT_COUNT = 20;

  private MemberNetwork() {}

  public static Config hazelcastConfig(ClusterConfig cluster) {
    // ConfigUtil keeps the maps and multimaps Vert.x needs (subscriptions, locks, node info).
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    // slf4j routes Hazelcast through logback, i.e. to stderr, which the events command needs for its stdout.
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // Without this Hazelcast listens on 0.0.0.0 whatever the interfaces section says.
    config.setProperty("hazelcast.socket.bind.any", "false");
    // A leaving or dead member must not keep the agent waiting on shutdown or on partition migration.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(PORT_COUNT);
    network.getInterfaces().setEnabled(true).clear().addInterface(cluster.host());
    network.setPublicAddress(null);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    join.getGcpConfig().setEnabled(false);
    join.getAzureConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    join.getEurekaConfig().setEnabled(false);
    // Host literals only: Hazelcast tries the first ports of the range on each (a "host:range" string crashes).
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    // Hazelcast OSS cannot authenticate members, so whatever a member writes into the shared maps reaches this
    // process (root). Vert.x' own values are DataSerializable; Java deserialization is limited to Hazelcast's,
    // Vert.x' and plain JDK value classes, which shuts the door on deserialization gadgets from the classpath.
    config.getSerializationConfig().setJavaSerializationFilterConfig(new JavaSerializationFilterConfig()
        .setDefaultsDisabled(false)
        .setWhitelist(new ClassFilter().addPrefixes("com.hazelcast.", "io.vertx.", "java.lang.", "java.util.",
            "java.time.", "java.math.")));
    return config;
  }
}
