package io.linuxpatch.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linuxpatch.contract.config.ClusterConfig;
import io.linuxpatch.contract.config.TlsConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EventBusTlsTest {

  private final TlsConfig tls = new TlsConfig("/c/ca.pem", "/c/server.pem", "/c/server.key.pem", "/c/crl.pem", "1.2");

  private static ClusterConfig cluster(String cert, String key) {
    return new ClusterConfig(true, "n", "127.0.0.1", 5801, List.of("127.0.0.1"), cert, key);
  }

  @Test
  @DisplayName("mutual TLS 1.3 only (whatever tls.min_version says), client certificate required, CA and CRL of the agent, ephemeral port")
  void mutualTls() {
    EventBusOptions options = EventBusTls.options(cluster(null, null), tls);
    assertThat(options.isSsl()).isTrue();
    assertThat(options.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
    assertThat(options.getEnabledSecureTransportProtocols()).containsExactly("TLSv1.3");
    assertThat(options.getHost()).isEqualTo("127.0.0.1");
    assertThat(options.getPort()).isZero();
    assertThat(options.isTrustAll()).isFalse();
    assertThat(((PemTrustOptions) options.getTrustOptions()).getCertPaths()).containsExactly("/c/ca.pem");
    assertThat(options.getCrlPaths()).containsExactly("/c/crl.pem");
    PemKeyCertOptions identity = (PemKeyCertOptions) options.getKeyCertOptions();
    assertThat(identity.getCertPaths()).containsExactly("/c/server.pem");
    assertThat(identity.getKeyPaths()).containsExactly("/c/server.key.pem");
  }

  @Test
  @DisplayName("cluster.cert/cluster.key replace the server certificate; one without the other is refused")
  void ownIdentity() {
    PemKeyCertOptions identity = (PemKeyCertOptions) EventBusTls.options(cluster("/c/node.pem", "/c/node.key"), tls)
        .getKeyCertOptions();
    assertThat(identity.getCertPaths()).containsExactly("/c/node.pem");
    assertThat(identity.getKeyPaths()).containsExactly("/c/node.key");
    assertThatThrownBy(() -> EventBusTls.options(cluster("/c/node.pem", null), tls))
        .hasMessageContaining("cluster.cert and cluster.key");
  }
}
