package io.linuxpatch.http;

import io.netty.handler.ssl.util.SimpleTrustManagerFactory;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.TrustOptions;
import java.security.KeyStore;
import java.util.Objects;
import java.util.function.Function;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The server's trust options: client certificates are judged by {@link ClientCertificateVerifier} over the CA
 * and CRL bytes AuthVerticle checked (the CRL is therefore not handed to Vert.x, whose revocation wrapper
 * would answer every refusal with {@code internal_error}). Equal bytes make equal options, so Vert.x reuses one
 * SSL context for the HTTP verticles of one TLS material generation.
 */
final class ClientCertificateTrust implements TrustOptions {

  private final Buffer caPem;
  private final Buffer crlPem;
  private final boolean openSsl;

  ClientCertificateTrust(Buffer caPem, Buffer crlPem, boolean openSsl) {
    this.caPem = Objects.requireNonNull(caPem, "caPem");
    this.crlPem = crlPem;
    this.openSsl = openSsl;
  }

  @Override
  public TrustOptions copy() {
    return new ClientCertificateTrust(caPem, crlPem, openSsl);
  }

  @Override
  public TrustManagerFactory getTrustManagerFactory(Vertx vertx) throws Exception {
    TrustManager[] managers = {ClientCertificateVerifier.of(caPem, crlPem, openSsl)};
    return new SimpleTrustManagerFactory() {
      @Override
      protected void engineInit(KeyStore keyStore) {
        // Built from the PEM bytes above.
      }

      @Override
      protected void engineInit(ManagerFactoryParameters parameters) {
        // Built from the PEM bytes above.
      }

      @Override
      protected TrustManager[] engineGetTrustManagers() {
        return managers.clone();
      }
    };
  }

  @Override
  public Function<String, TrustManager[]> trustManagerMapper(Vertx vertx) {
    // One trust decision for every server name.
    return null;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ClientCertificateTrust that && caPem.equals(that.caPem)
        && Objects.equals(crlPem, that.crlPem) && openSsl == that.openSsl;
  }

  @Override
  public int hashCode() {
    return Objects.hash(caPem, crlPem, openSsl);
  }
}
