package io.linuxpatch.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.spi.transport.Transport;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Hook 1: the accept-time filter rides on Vert.x' transport SPI. */
@Tag("SEC-3")
@DisplayName("AcceptTimeTransport forwards the transport SPI and puts its handler on HTTP servers' listening channels")
class AcceptTimeTransportTest {

  /** Counts the connections it sees, then hands them on as Netty's acceptor would get them. */
  @ChannelHandler.Sharable
  static final class Counting extends ChannelInboundHandlerAdapter {
    final AtomicInteger accepted = new AtomicInteger();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object child) {
      accepted.incrementAndGet();
      ctx.fireChannelRead(child);
    }
  }

  @Test
  @DisplayName("every method of the Vert.x transport SPI, default methods included, is overridden")
  void overridesEveryMethod() {
    assertThat(Forwarding.missing(Transport.class, AcceptTimeTransport.class))
        .as("SPI methods AcceptTimeTransport does not forward (a Vert.x upgrade added them?)").isEmpty();
  }

  @Test
  @DisplayName("a wrapper that misses an SPI method is refused with the method's name")
  void incompleteWrapperIsRefused() {
    assertThatThrownBy(() -> Forwarding.requireComplete("test hook", Transport.class, Object.class))
        .isInstanceOf(BrokenAssumption.class)
        .hasMessageContaining("test hook").hasMessageContaining("configure").hasMessageContaining("Vert.x ");
  }

  @Test
  @DisplayName("the wrapped transport keeps the name and availability of the chosen one")
  void keepsIdentity() {
    AcceptTimeTransport wrapped = AcceptTimeTransport.wrap(io.vertx.core.transport.Transport.NIO, new Counting());
    assertThat(wrapped.handle().name()).isEqualTo(io.vertx.core.transport.Transport.NIO.name());
    assertThat(wrapped.handle().available()).isTrue();
    assertThat(wrapped.handle().implementation()).isSameAs(wrapped);
  }

  @Test
  @DisplayName("an HTTP server's listening channel gets the handler, which sees its connections; a plain NetServer's does not")
  void installedOnHttpServersOnly() throws Exception {
    Counting handler = new Counting();
    AcceptTimeTransport transport = AcceptTimeTransport.wrap(io.vertx.core.transport.Transport.NIO, handler);
    Vertx vertx = Vertx.builder().withTransport(transport.handle()).build();
    try {
      assertThatThrownBy(transport::requireInstalled).isInstanceOf(BrokenAssumption.class)
          .hasMessageContaining("accept-time filter");
      vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0)).connectHandler(s -> { })
          .listen().await(10, TimeUnit.SECONDS);
      assertThat(transport.installedOn()).isZero();
      int port = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
          .requestHandler(r -> r.response().end("ok")).listen().await(10, TimeUnit.SECONDS).actualPort();
      assertThat(transport.installedOn()).isEqualTo(1);
      transport.requireInstalled();

      HttpClient client = vertx.createHttpClient();
      String body = client.request(HttpMethod.GET, port, "127.0.0.1", "/")
          .compose(request -> request.send().compose(response -> response.body()))
          .await(10, TimeUnit.SECONDS).toString();
      assertThat(body).isEqualTo("ok");
      assertThat(handler.accepted.get()).isEqualTo(1);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
