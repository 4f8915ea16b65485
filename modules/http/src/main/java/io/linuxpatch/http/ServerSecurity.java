package io.linuxpatch.http;

import io.linuxpatch.contract.auth.TlsMaterial;
import io.linuxpatch.contract.config.ServerConfig;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the HTTP server options with every security-relevant limit set explicitly (SEC-1, SEC-2, SEC-7),
 * because Vert.x defaults are not a security profile: client auth off, TLS 1.2 on, no idle timeout.
 */
final class ServerSecurity {

  /** SEC-7: request headers at most 8 KiB (431 above). */
  static final int MAX_HEADER_BYTES = 8 * 1024;
  /** SEC-7: URI at most 4 KiB (414 above). */
  static final int MAX_URI_BYTES = 4 * 1024;
  /** SEC-7: body at most 1 MiB (413 above). */
  static final long MAX_BODY_BYTES = 1024 * 1024;
  /** JOB-9: WebSocket frames and messages from clients at most 64 KiB (the connection is closed with 1009 above). */
  static final int MAX_WEBSOCKET_FRAME_BYTES = 64 * 1024;
  /** Room in the request line for the method, two spaces and {@code HTTP/1.1} beside a 4 KiB URI. */
  private static final int REQUEST_LINE_OVERHEAD = 24;

  /** TLS 1.3 suites, then the TLS 1.2 ECDHE AEAD suites allowed when tls.min_version is 1.2 (SEC-1). */
  static final List<String> CIPHER_SUITES = List.of(
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private ServerSecurity() {}

  static HttpServerOptions serverOptions(ServerConfig server, TlsMaterial tls) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(server.bind())
        .setPort(server.port())
        .setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(keyCert(tls))
        .setTrustOptions(trust(tls))
        .setEnabledSecureTransportProtocols(tls.protocols())
        .setSslEngineOptions(TlsEngine.options())
        .setSslHandshakeTimeout(10)
        .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS)
        .setIdleTimeout(server.idleTimeoutSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setMaxHeaderSize(MAX_HEADER_BYTES)
        .setMaxInitialLineLength(MAX_URI_BYTES + REQUEST_LINE_OVERHEAD)
        .setMaxChunkSize(8192)
        .setCompressionSupported(false)
        .setMaxWebSocketFrameSize(MAX_WEBSOCKET_FRAME_BYTES)
        .setMaxWebSocketMessageSize(MAX_WEBSOCKET_FRAME_BYTES)
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false)
        .setDecompressionSupported(false)
        .setHandle100ContinueAutomatically(false)
        .setHttp2ClearTextEnabled(false)
        .setTcpNoDelay(true)
        .setUseAlpn(server.http2())
        .setAlpnVersions(server.http2() ? List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1) : List.of(HttpVersion.HTTP_1_1))
        .setInitialSettings(new Http2Settings()
            .setMaxHeaderListSize(MAX_HEADER_BYTES)
            .setMaxConcurrentStreams(100));
    CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    return options;
  }

  /** The SSL part alone, for hot reload: it replaces the whole SSL configuration, so it repeats all of it. */
  static ServerSSLOptions sslOptions(ServerConfig server, TlsMaterial tls) {
    ServerSSLOptions options = new ServerSSLOptions()
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(keyCert(tls))
        .setTrustOptions(trust(tls))
        .setEnabledSecureTransportProtocols(tls.protocols())
        .setSslHandshakeTimeout(10)
        .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS)
        .setUseAlpn(server.http2())
        .setApplicationLayerProtocols(server.http2() ? List.of("h2", "http/1.1") : List.of("http/1.1"));
    CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    return options;
  }

  private static PemKeyCertOptions keyCert(TlsMaterial tls) {
    return new PemKeyCertOptions().addCertValue(tls.serverCertPem()).addKeyValue(tls.serverKeyPem());
  }

  /** SEC-2: the CA and the CRL, judged by the agent's verifier so that a refusal gets the alert that says why. */
  private static ClientCertificateTrust trust(TlsMaterial tls) {
    return new ClientCertificateTrust(tls.caPem(), tls.crlPem(), TlsEngine.openSsl());
  }
}
