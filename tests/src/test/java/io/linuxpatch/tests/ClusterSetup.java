package io.linuxpatch.tests;

import io.linuxpatch.cluster.ClusterNode;
import io.linuxpatch.cluster.MemberNetwork;
import io.linuxpatch.contract.config.ClusterConfig;
import io.linuxpatch.contract.config.TlsConfig;
import io.linuxpatch.pki.CertificateAuthority;
import io.linuxpatch.pki.IssuedCertificate;
import io.linuxpatch.pki.LeafSpec;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The cluster of one test class on loopback: a unique cluster name (so parallel builds on the machine never
 * meet), a free base port, and nodes started in the test JVM with certificates of the agent's CA or of a
 * foreign one.
 */
final class ClusterSetup {

  final String name = "lpa-test-" + UUID.randomUUID();
  final int port;
  private final AgentUnderTest agent;

  ClusterSetup(AgentUnderTest agent) throws IOException {
    this.agent = agent;
    this.port = AgentUnderTest.freePort();
  }

  /** The {@code cluster} section enabling clustering, for {@link AgentUnderTest#writeConfig}. */
  String yaml() {
    return """
        cluster:
          enabled: true
          name: %s
          host: 127.0.0.1
          port: %d
          members: ["127.0.0.1"]
        """.formatted(name, port);
  }

  private ClusterConfig config(Path cert, Path key) {
    return new ClusterConfig(true, name, "127.0.0.1", port, List.of("127.0.0.1"), cert.toString(), key.toString());
  }

  /** A node whose certificate is issued by the agent's CA (serverAuth + clientAuth) and which trusts that CA. */
  ClusterNode validNode(String commonName) throws Exception {
    IssuedCertificate leaf = agent.pki.ca.issue(LeafSpec.server(commonName));
    Path cert = agent.dir.resolve(commonName + ".pem");
    Path key = agent.dir.resolve(commonName + ".key.pem");
    leaf.writeTo(cert, key);
    TlsConfig tls = new TlsConfig(agent.pki.caPem().toString(), cert.toString(), key.toString(), null, "1.3");
    return ClusterNode.join(config(cert, key), tls).await(60, TimeUnit.SECONDS);
  }

  /** An attacker's clustered Vert.x and the node id Hazelcast knows it by. */
  record AttackerNode(io.vertx.core.Vertx vertx, String nodeId) {}

  /**
   * An attacker's node: a certificate of another CA, and an event-bus server that asks for no client
   * certificate and trusts anything, so that only the agent's own checks can keep events from it.
   */
  AttackerNode attackerNode() throws Exception {
    CertificateAuthority rogue = CertificateAuthority.create("linux-patch-api test CA", Duration.ofDays(30));
    IssuedCertificate leaf = rogue.issue(LeafSpec.server("localhost"));
    Path cert = agent.dir.resolve("attacker.pem");
    Path key = agent.dir.resolve("attacker.key.pem");
    leaf.writeTo(cert, key);
    io.vertx.core.eventbus.EventBusOptions bus = new io.vertx.core.eventbus.EventBusOptions()
        .setHost("127.0.0.1").setPort(0).setSsl(true).setTrustAll(true)
        .setClientAuth(io.vertx.core.http.ClientAuth.NONE)
        .setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions().setCertPath(cert.toString())
            .setKeyPath(key.toString()));
    HazelcastClusterManager manager = new HazelcastClusterManager(MemberNetwork.hazelcastConfig(config(cert, key)));
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.builder()
        .with(new io.vertx.core.VertxOptions().setEventBusOptions(bus))
        .withClusterManager(manager).buildClustered().await(60, TimeUnit.SECONDS);
    return new AttackerNode(vertx, manager.getNodeId());
  }

  /**
   * A node of another CA with the same CA name, trusting only that CA: Hazelcast (no TLS in OSS) lets it
   * join the membership; the event bus must not let it exchange a single message with the agent.
   */
  ClusterNode foreignNode() throws Exception {
    CertificateAuthority rogue = CertificateAuthority.create("linux-patch-api test CA", Duration.ofDays(30));
    Path caPem = agent.dir.resolve("rogue-ca.pem");
    rogue.writeTo(caPem, agent.dir.resolve("rogue-ca.key.pem"));
    IssuedCertificate leaf = rogue.issue(LeafSpec.server("localhost"));
    Path cert = agent.dir.resolve("rogue.pem");
    Path key = agent.dir.resolve("rogue.key.pem");
    leaf.writeTo(cert, key);
    TlsConfig tls = new TlsConfig(caPem.toString(), cert.toString(), key.toString(), null, "1.3");
    return ClusterNode.join(config(cert, key), tls).await(60, TimeUnit.SECONDS);
  }
}
