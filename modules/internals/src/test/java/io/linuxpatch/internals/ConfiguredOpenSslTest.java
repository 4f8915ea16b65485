package io.linuxpatch.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.pki.CertificateAuthority;
import io.linuxpatch.pki.IssuedCertificate;
import io.linuxpatch.pki.LeafSpec;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Hook 2: the session settings ride on Vert.x' TLS context factory SPI. */
@DisplayName("ConfiguredOpenSsl forwards the TLS context factory SPI and hands each server context to its hook")
class ConfiguredOpenSslTest {

  @Test
  @DisplayName("every method of the SslContextFactory SPI, default methods included, is overridden")
  void overridesEveryMethod() {
    assertThat(Forwarding.missing(SslContextFactory.class, ConfiguredOpenSsl.ForwardingFactory.class))
        .as("SPI methods the factory wrapper does not forward (a Vert.x upgrade added or renamed them?)").isEmpty();
  }

  @Test
  @DisplayName("a copy (Vert.x copies engine options per server) keeps the hook and the session cache setting")
  void copyKeepsHook() {
    ConfiguredOpenSsl options = new ConfiguredOpenSsl(context -> { });
    options.setSessionCacheEnabled(false);
    OpenSSLEngineOptions copy = options.copy();
    assertThat(copy).isInstanceOf(ConfiguredOpenSsl.class);
    assertThat(copy.isSessionCacheEnabled()).isFalse();
  }

  @Test
  @DisplayName("a TLS server built with it calls the hook with its server context, whose settings then apply")
  void hookSeesServerContext() throws Exception {
    assumeTrue(OpenSSLEngineOptions.isAvailable(), "netty-tcnative's BoringSSL does not load on this platform");
    CertificateAuthority ca = CertificateAuthority.create("internals test CA", Duration.ofDays(1));
    IssuedCertificate server = ca.issue(LeafSpec.server("localhost").withDnsNames("localhost"));
    List<SslContext> seen = new CopyOnWriteArrayList<>();
    Vertx vertx = Vertx.vertx();
    try {
      HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions()
              .setCertValue(Buffer.buffer(server.certificatePem()))
              .setKeyValue(Buffer.buffer(server.privateKeyPem())))
          .setSslEngineOptions(new ConfiguredOpenSsl(context -> {
            context.sessionContext().setSessionTimeout(1234);
            seen.add(context);
          }));
      int port = vertx.createHttpServer(options).requestHandler(r -> r.response().end("ok"))
          .listen().await(10, TimeUnit.SECONDS).actualPort();
      // Kept in a variable: Vert.x closes a client's pool once nothing refers to the client.
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true));
      String body = client.request(HttpMethod.GET, port, "127.0.0.1", "/")
          .compose(request -> request.send().compose(response -> response.body()))
          .await(10, TimeUnit.SECONDS).toString();

      assertThat(body).isEqualTo("ok");
      assertThat(seen).isNotEmpty().allSatisfy(context -> {
        assertThat(context.isServer()).isTrue();
        assertThat(context.sessionContext().getSessionTimeout()).isEqualTo(1234);
      });
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
