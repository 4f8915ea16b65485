package io.linuxpatch.cluster;

import io.linuxpatch.contract.config.ClusterConfig;
import io.linuxpatch.contract.config.TlsConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Event-bus transport options of a cluster node: mutual TLS 1.3 with the agent's CA as the only trust
 * anchor, so a node without a certificate from that CA can neither deliver nor receive a message.
 *
 * <p>Vert.x' event-bus default is to trust every server certificate; it is turned off here.
 *
 * <p>The identity is {@code cluster.cert}/{@code cluster.key} or else the agent's server certificate, which
 * carries both serverAuth and clientAuth EKUs because each node is server and client of the others. Vert.x
 * turns hostname verification off for event-bus clients (members are reached by the IP they registered), so
 * the CA signature, validity, EKU and the optional CRL are what is checked.
 */
public final class EventBusTls {

  private EventBusTls() {}

  /** Options listening on {@code cluster.host}, ephemeral port (registered in the cluster, so none is configured). */
  public static EventBusOptions options(ClusterConfig cluster, TlsConfig tls) {
    if ((cluster.cert() == null) != (cluster.key() == null)) {
      throw new IllegalArgumentException("cluster.cert and cluster.key must be set together (or neither, "
          + "to use tls.server_cert and tls.server_key)");
    }
    String cert = cluster.cert() != null ? cluster.cert() : tls.serverCert();
    String key = cluster.key() != null ? cluster.key() : tls.serverKey();
    EventBusOptions options = new EventBusOptions()
        .setHost(cluster.host())
        .setPort(0)
        .setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        // EventBusOptions trusts every server certificate by default: then this node, as a client, would
        // hand events to any listener that registered a subscription — one that asks for no client
        // certificate included. The CA must be checked in both directions.
        .setTrustAll(false)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert).setKeyPath(key))
        .setTrustOptions(new PemTrustOptions().addCertPath(tls.caCert()))
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
        .setSslEngineOptions(new JdkSSLEngineOptions())
        .setSslHandshakeTimeout(10)
        .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
    if (tls.crlPath() != null) {
      options.addCrlPath(tls.crlPath());
    }
    return options;
  }
}
