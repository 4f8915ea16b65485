package io.linuxpatch.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import io.linuxpatch.contract.config.ClusterConfig;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MemberNetworkTest {

  private final ClusterConfig cluster = new ClusterConfig(true, "fleet-a", "10.0.0.5", 5901,
      List.of("10.0.0.5", "10.0.0.6"), null, null);

  @Test
  @DisplayName("TCP/IP members only, bound to cluster.host alone, auto-incremented port, no phone-home, slf4j logging")
  void memberNetwork() {
    Config config = MemberNetwork.hazelcastConfig(cluster);
    NetworkConfig network = config.getNetworkConfig();
    assertThat(config.getClusterName()).isEqualTo("fleet-a");
    assertThat(network.getPort()).isEqualTo(5901);
    assertThat(network.isPortAutoIncrement()).isTrue();
    assertThat(network.getPortCount()).isGreaterThanOrEqualTo(3);
    assertThat(network.getInterfaces().isEnabled()).isTrue();
    assertThat(network.getInterfaces().getInterfaces()).containsExactly("10.0.0.5");
    assertThat(network.getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(network.getJoin().getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(network.getJoin().getTcpIpConfig().isEnabled()).isTrue();
    assertThat(network.getJoin().getTcpIpConfig().getMembers()).containsExactly("10.0.0.5", "10.0.0.6");
    assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.logging.type")).isEqualTo("slf4j");
    // The maps Vert.x keeps its subscriptions in come from ConfigUtil's default config.
    assertThat(config.getMultiMapConfigs()).containsKey("__vertx.subs");
  }

  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.DisplayName("Java deserialization from other members is limited to Hazelcast, Vert.x and JDK value classes")
  void deserializationFiltered() {
    com.hazelcast.config.JavaSerializationFilterConfig filter = MemberNetwork.hazelcastConfig(
        new io.linuxpatch.contract.config.ClusterConfig(true, "t", "127.0.0.1", 5801, java.util.List.of("127.0.0.1"), null, null))
        .getSerializationConfig().getJavaSerializationFilterConfig();
    org.assertj.core.api.Assertions.assertThat(filter).isNotNull();
    org.assertj.core.api.Assertions.assertThat(filter.getWhitelist().getPrefixes())
        .contains("com.hazelcast.", "io.vertx.").noneMatch(p -> p.startsWith("org.") || p.equals("java."));
  }
}
