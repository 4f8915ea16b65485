package io.linuxpatch.auth.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.contract.auth.AccessPolicy;
import io.linuxpatch.contract.auth.IpAllowList;
import io.linuxpatch.contract.config.AuthorizationConfig;
import io.linuxpatch.internals.AcceptTimeTransport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.transport.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("SEC-3")
@DisplayName("The accept-time filter drops non-allowed peers before any byte and leaves others alone")
class AcceptFilterTest {

  /** The first bytes of a TLS ClientHello: what a scanner sends first. */
  private static final byte[] CLIENT_HELLO_START = {0x16, 0x03, 0x01, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o'};
  private static final byte[] HTTP_GET =
      "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private Vertx vertx;

  @AfterEach
  void close() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  private static AccessPolicy allowing(long generation, String... addresses) throws IOException {
    List<IpAllowList.Range> ranges = Arrays.stream(addresses).map(a -> {
      try {
        return IpAllowList.Range.of(InetAddress.getByName(a), a);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
    return new AccessPolicy(IpAllowList.of(ranges), AuthorizationConfig.absent(), generation);
  }

  private static Transport transport(String name) {
    Transport chosen = "epoll".equals(name) ? Transport.EPOLL : Transport.NIO;
    // Transport.EPOLL is null when netty's epoll classes are not on the class path.
    assumeTrue(chosen != null && chosen.available(), name + " transport is not available on this machine");
    return chosen;
  }

  private int startHttpServer(Vertx v) {
    HttpServer server = v.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(req -> req.response().end("hello"));
    return server.listen().await().actualPort();
  }

  /**
   * Connects from {@code source}, writes {@code bytes}, and returns everything the server sent back before
   * it closed or reset the connection. A reset is an expected answer (the filter closes with SO_LINGER 0),
   * and it can even arrive while connect() is still polling; "connection refused" (nothing listening) is not.
   */
  private static byte[] exchange(String source, int port, byte[] bytes) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
      socket.setSoTimeout(5_000);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] chunk = new byte[4096];
      for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
        received.write(chunk, 0, n);
      }
    } catch (SocketException e) {
      if (e.getMessage() == null || !e.getMessage().contains("reset")) {
        throw e;
      }
    }
    return received.toByteArray();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"nio", "epoll"})
  @DisplayName("a peer not on the allow-list receives 0 bytes, an allowed peer gets its HTTP response")
  void dropsBeforeAnyByte(String transportName) throws Exception {
    AcceptFilter filter = new AcceptFilter(allowing(1, "127.0.0.1"));
    vertx = Vertx.builder().withTransport(AcceptTimeTransport.wrap(transport(transportName), filter).handle()).build();
    int port = startHttpServer(vertx);

    assertThat(exchange("127.0.0.2", port, CLIENT_HELLO_START)).isEmpty();
    assertThat(exchange("127.0.0.2", port, HTTP_GET)).isEmpty();
    assertThat(new String(exchange("127.0.0.1", port, HTTP_GET), StandardCharsets.US_ASCII))
        .startsWith("HTTP/1.1 200").endsWith("hello");

    DropCounts drops = filter.drainDrops();
    assertThat(drops.total()).isEqualTo(2);
    assertThat(drops.byAddress()).containsEntry("127.0.0.2", 2L);
    assertThat(filter.drainDrops().isEmpty()).as("draining resets the interval").isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"nio", "epoll"})
  @DisplayName("a policy update applies to the next connection without restarting the server")
  void policyUpdateApplies(String transportName) throws Exception {
    AcceptFilter filter = new AcceptFilter(allowing(1, "127.0.0.1"));
    vertx = Vertx.builder().withTransport(AcceptTimeTransport.wrap(transport(transportName), filter).handle()).build();
    int port = startHttpServer(vertx);
    assertThat(exchange("127.0.0.2", port, HTTP_GET)).isEmpty();

    filter.update(allowing(2, "127.0.0.1", "127.0.0.2"));
    assertThat(new String(exchange("127.0.0.2", port, HTTP_GET), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");

    filter.update(allowing(3, "127.0.0.1"));
    assertThat(exchange("127.0.0.2", port, HTTP_GET)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"nio", "epoll"})
  @DisplayName("a plain NetServer (like the clustered event bus) is not filtered")
  void netServerIsNotFiltered(String transportName) throws Exception {
    AcceptFilter filter = new AcceptFilter(allowing(1, "127.0.0.1"));
    vertx = Vertx.builder().withTransport(AcceptTimeTransport.wrap(transport(transportName), filter).handle()).build();
    NetServer echo = vertx.createNetServer().connectHandler(socket -> socket.handler(buffer -> {
      socket.write(buffer);
      socket.end();
    }));
    int port = echo.listen(0, "127.0.0.1").await().actualPort();

    assertThat(exchange("127.0.0.2", port, "ping".getBytes(StandardCharsets.US_ASCII))).asString().isEqualTo("ping");
    assertThat(filter.drainDrops().total()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"nio", "epoll"})
  @DisplayName("until the first policy arrives the filter denies everyone, 127.0.0.1 included")
  void deniesByDefault(String transportName) throws Exception {
    AcceptFilter filter = new AcceptFilter();
    vertx = Vertx.builder().withTransport(AcceptTimeTransport.wrap(transport(transportName), filter).handle()).build();
    int port = startHttpServer(vertx);
    assertThat(exchange("127.0.0.1", port, HTTP_GET)).isEmpty();
  }
}
