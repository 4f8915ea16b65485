package io.linuxpatch.fleet;

import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;

/**
 * The client side of mutual TLS with the agents: one client certificate and key, and the CA the agents' certificates
 * chain to. {@code fleet} and {@code watch} present the same identity to every agent they talk to.
 *
 * @param cert PEM client certificate
 * @param key  PEM private key of {@code cert}
 * @param ca   PEM CA certificate the agents' server certificates chain to
 */
public record ClientTls(Path cert, Path key, Path ca) {

  /**
   * The developer-mode files under {@code dir} ({@code certs/client.pem}, {@code certs/client.key.pem},
   * {@code certs/ca.pem}, as {@code linux-patch-api dev} writes them), each replaced by the explicit path when one
   * is given.
   */
  public static ClientTls of(Path dir, Path cert, Path key, Path ca) {
    Path certs = dir.resolve("certs");
    return new ClientTls(cert != null ? cert : certs.resolve("client.pem"),
        key != null ? key : certs.resolve("client.key.pem"), ca != null ? ca : certs.resolve("ca.pem"));
  }

  public PemKeyCertOptions identity() {
    return new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString());
  }

  public PemTrustOptions trust() {
    return new PemTrustOptions().addCertPath(ca.toString());
  }
}
