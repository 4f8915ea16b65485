package io.linuxpatch.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Hooks 3 and 4: what the agent reaches under an HTTP server connection, checked on a real Vert.x server. */
@DisplayName("HttpChannels finds the channel, the HTTP/1.x decoder and the idle handler where Vert.x puts them")
class HttpChannelsTest {

  /** Vert.x' decoder, counting what it decodes, in its place. */
  static final class CountingDecoder extends VertxRequestDecoder {
    final AtomicInteger reads = new AtomicInteger();

    CountingDecoder(HttpServerOptions options) {
      super(options);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
      reads.incrementAndGet();
      super.decode(ctx, buffer, out);
    }
  }

  private Vertx vertx;
  /** What the connection handler found, by key, or the failure it met. */
  private final Map<String, Object> found = new ConcurrentHashMap<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private int server(HttpServerOptions options) throws Exception {
    return vertx.createHttpServer(options.setHost("127.0.0.1").setPort(0))
        .connectionHandler(connection -> {
          try {
            found.put("http1", HttpChannels.isHttp1(connection));
            found.put("channel", HttpChannels.channel(connection));
            if (HttpChannels.isHttp1(connection)) {
              ChannelPipeline pipeline = HttpChannels.http1Pipeline(connection);
              found.put("idle", pipeline.get(HttpChannels.IDLE) instanceof IdleStateHandler);
              CountingDecoder decoder = new CountingDecoder(options);
              HttpChannels.replaceDecoder(connection, decoder);
              found.put("decoder", decoder);
              HttpChannels.removeIdleTimeout(connection);
              found.put("idleAfter", pipeline.get(IdleStateHandler.class) == null);
            }
          } catch (RuntimeException e) {
            found.put("failure", e);
          }
        })
        .requestHandler(r -> r.response().end("ok"))
        .listen().await(10, TimeUnit.SECONDS).actualPort();
  }

  private String get(HttpClientOptions options, int port) throws Exception {
    // Kept in a variable: Vert.x closes a client's pool once nothing refers to the client.
    HttpClient client = vertx.createHttpClient(options);
    return client.request(HttpMethod.GET, port, "127.0.0.1", "/")
        .compose(request -> request.send().compose(response -> response.body()))
        .await(10, TimeUnit.SECONDS).toString();
  }

  @Test
  @DisplayName("HTTP/1.1: the decoder under 'httpDecoder' is replaced and serves; 'idle' is the idle handler and goes")
  void http1() throws Exception {
    // Without h2c detection, which reads the first bytes before the HTTP/1.x pipeline (and its handler) exists.
    int port = server(new HttpServerOptions().setIdleTimeout(60).setHttp2ClearTextEnabled(false));

    assertThat(get(new HttpClientOptions(), port)).isEqualTo("ok");

    assertThat(found).doesNotContainKey("failure");
    assertThat(found.get("http1")).isEqualTo(true);
    assertThat(found.get("idle")).isEqualTo(true);
    assertThat(found.get("idleAfter")).isEqualTo(true);
    assertThat(((CountingDecoder) found.get("decoder")).reads.get()).isPositive();
  }

  @Test
  @DisplayName("HTTP/2 (h2c, prior knowledge): the channel is found and the connection is not taken for HTTP/1.x")
  void http2() throws Exception {
    int port = server(new HttpServerOptions());

    assertThat(get(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false),
        port)).isEqualTo("ok");

    assertThat(found).doesNotContainKey("failure").containsKey("channel");
    assertThat(found.get("http1")).isEqualTo(false);
  }

  @Test
  @DisplayName("a connection that is not a Vert.x HTTP server connection is refused loudly, not served without the hook")
  void otherConnectionIsRefused() throws Exception {
    int port = server(new HttpServerOptions());
    HttpClient http = vertx.createHttpClient();
    HttpConnection client = http.request(HttpMethod.GET, port, "127.0.0.1", "/")
        .map(request -> request.connection()).await(10, TimeUnit.SECONDS);

    assertThatThrownBy(() -> HttpChannels.channel(client)).isInstanceOf(BrokenAssumption.class)
        .hasMessageContaining("HttpServerConnection");
  }
}
