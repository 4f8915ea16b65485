package io.linuxpatch.auth.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.auth.AccessPolicy;
import io.linuxpatch.contract.auth.IpAllowList;
import io.linuxpatch.contract.config.AuthorizationConfig;
import io.linuxpatch.internals.AcceptTimeTransport;
import io.linuxpatch.pki.CertificateAuthority;
import io.linuxpatch.pki.IssuedCertificate;
import io.linuxpatch.pki.LeafSpec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.transport.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("SEC-3")
@DisplayName("On an HTTPS server the filter drops a foreign peer before the TLS handshake")
class TlsAcceptFilterTest {

  private Vertx vertx;

  @AfterEach
  void close() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("a ClientHello from 127.0.0.2 gets 0 bytes (no ServerHello, no alert); 127.0.0.1 completes TLS")
  void noTlsByteToForeignPeer() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("filter test CA", Duration.ofDays(30));
    IssuedCertificate server = ca.issue(LeafSpec.server("localhost"));
    AccessPolicy policy = new AccessPolicy(
        IpAllowList.of(List.of(IpAllowList.Range.of(InetAddress.getByName("127.0.0.1"), "127.0.0.1"))),
        AuthorizationConfig.absent(), 1);
    vertx = Vertx.builder().withTransport(AcceptTimeTransport.wrap(Transport.NIO, new AcceptFilter(policy)).handle())
        .build();
    int port = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
            .setKeyCertOptions(new PemKeyCertOptions()
                .setCertValue(Buffer.buffer(server.certificatePem()))
                .setKeyValue(Buffer.buffer(server.privateKeyPem()))))
        .requestHandler(req -> req.response().end("hello"))
        .listen().await().actualPort();

    assertThat(bytesAfterClientHello("127.0.0.2", port)).isZero();
    assertThat(bytesAfterClientHello("127.0.0.1", port)).as("the same bytes from an allowed IP get an answer")
        .isPositive();

    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trusting(ca).getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
          .startsWith("HTTP/1.1 200").endsWith("hello");
    }
  }

  /** Sends a real TLS 1.3 ClientHello (captured from the JDK) from {@code source}; counts the reply bytes. */
  private static int bytesAfterClientHello(String source, int port) throws Exception {
    byte[] hello = clientHello();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
      // Up to 10 s for the first byte (a busy machine's first handshake is slow); after it, the rest of the flight
      // follows at once and the server then waits for ours.
      socket.setSoTimeout(10_000);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.getOutputStream().write(hello);
      InputStream in = socket.getInputStream();
      byte[] chunk = new byte[4096];
      try {
        for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
          received.write(chunk, 0, n);
          socket.setSoTimeout(500);
        }
      } catch (java.net.SocketTimeoutException answeredAndWaiting) {
        // An allowed peer gets a ServerHello and the server then waits for our next flight.
      }
    } catch (SocketException e) {
      if (e.getMessage() == null || !e.getMessage().contains("reset")) {
        throw e;
      }
    }
    return received.size();
  }

  /** The first flight of a JDK TLS client, captured through a socket pair, so the probe is genuine TLS. */
  private static byte[] clientHello() throws Exception {
    try (java.net.ServerSocket capture = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread client = new Thread(() -> {
        try (SSLSocket socket = (SSLSocket) SSLContext.getDefault().getSocketFactory()
            .createSocket(InetAddress.getLoopbackAddress(), capture.getLocalPort())) {
          socket.setSoTimeout(1_000);
          socket.startHandshake();
        } catch (IOException | java.security.NoSuchAlgorithmException expected) {
          // The capture side never answers.
        }
      });
      client.start();
      try (Socket accepted = capture.accept()) {
        accepted.setSoTimeout(2_000);
        InputStream in = accepted.getInputStream();
        byte[] header = in.readNBytes(5);
        int length = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
        byte[] body = in.readNBytes(length);
        byte[] record = new byte[5 + length];
        System.arraycopy(header, 0, record, 0, 5);
        System.arraycopy(body, 0, record, 5, length);
        assertThat(record[0]).as("a TLS handshake record").isEqualTo((byte) 0x16);
        return record;
      } finally {
        client.join();
      }
    }
  }

  private static TrustManagerFactory trusting(CertificateAuthority ca) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory;
  }
}
