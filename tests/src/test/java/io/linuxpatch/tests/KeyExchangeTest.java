package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * SEC-1 key exchange: the hybrid post-quantum group X25519MLKEM768 is offered where the TLS engine has it
 * (BoringSSL through netty-tcnative), beside X25519, P-256 and P-384 and nothing else. The client here is
 * BoringSSL too, told to offer exactly one group: a TLS 1.3 handshake that completes has negotiated it.
 */
@Tag("SEC-1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyExchangeTest {

  @TempDir
  static Path dir;
  AgentUnderTest agent;
  EventLoopGroup loop;

  @BeforeAll
  void start() throws Exception {
    agent = new AgentUnderTest(dir).start();
    loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    // The groups are what is under test, not the first seconds of a start: wait until the agent serves a plain
    // TLS client (twice in CI the very first connection after "listening" was closed before its handshake).
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
      try (TlsClient client = agent.connect()) {
        return client.get("/health").status() > 0;
      }
    });
  }

  @AfterAll
  void stop() {
    if (loop != null) {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    agent.close();
  }

  @Test
  @DisplayName("a client offering only X25519MLKEM768 negotiates it and is served")
  void hybridPostQuantum() throws Exception {
    Assumptions.assumeTrue(io.linuxpatch.http.TlsEngine.name().startsWith("openssl"),
        "the agent runs the JDK's TLS engine here (" + io.linuxpatch.http.TlsEngine.name() + "), which has no ML-KEM on Java 17");
    SslContext client = clientOffering("X25519MLKEM768");
    Assumptions.assumeTrue(client != null, "this netty-tcnative's BoringSSL does not know X25519MLKEM768");
    assertThat(healthOver(client)).startsWith("HTTP/1.1 ");
  }

  @Test
  @DisplayName("each classic group X25519, P-256 and P-384 alone is still served; P-521 alone is refused")
  void classicGroups() throws Exception {
    Assumptions.assumeTrue(OpenSsl.isAvailable(), "the test client needs netty-tcnative's BoringSSL");
    for (String group : new String[] {"X25519", "P-256", "P-384"}) {
      // The group is what is under test: any HTTP answer proves the handshake, whatever the health is on a
      // busy machine (503 while a check is still unhealthy at start).
      assertThat(healthOver(clientOffering(group))).as(group).startsWith("HTTP/1.1 ");
    }
    assertThat(healthOver(clientOffering("P-521"))).as("P-521").startsWith("handshake failed");
  }

  /** A BoringSSL TLS 1.3 client with the test client certificate that offers only {@code group}; null if unknown. */
  private SslContext clientOffering(String group) throws Exception {
    try {
      return SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).protocols("TLSv1.3")
          .keyManager(agent.pki.client.privateKey(), agent.pki.client.certificate())
          .trustManager(agent.pki.ca.certificate())
          .option(OpenSslContextOption.GROUPS, new String[] {group})
          .build();
    } catch (SSLException unknownGroup) {
      return null;
    }
  }

  /** The start of the answer to GET /health over a connection made with {@code context}, or why there is none. */
  private String healthOver(SslContext context) throws Exception {
    CompletableFuture<String> answer = new CompletableFuture<>();
    // Kept from initChannel: a channel that closes early loses its handlers, and the handshake's cause with them.
    java.util.concurrent.atomic.AtomicReference<SslHandler> handler = new java.util.concurrent.atomic.AtomicReference<>();
    StringBuilder received = new StringBuilder();
    Channel channel = new Bootstrap().group(loop).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            handler.set(context.newHandler(ch.alloc(), "localhost", agent.port));
            ch.pipeline().addLast(handler.get(),
                new SimpleChannelInboundHandler<ByteBuf>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf bytes) {
                    received.append(bytes.toString(StandardCharsets.US_ASCII));
                  }

                  @Override
                  public void channelInactive(ChannelHandlerContext ctx) {
                    answer.complete(received.toString());
                  }

                  @Override
                  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    ctx.close();
                  }
                });
          }
        })
        .connect("127.0.0.1", agent.port).sync().channel();
    try {
      SslHandler tls = handler.get();
      if (!tls.handshakeFuture().await(10, TimeUnit.SECONDS) || !tls.handshakeFuture().isSuccess()) {
        return "handshake failed: " + tls.handshakeFuture().cause();
      }
      channel.writeAndFlush(Unpooled.copiedBuffer("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
          StandardCharsets.US_ASCII));
      return answer.get(10, TimeUnit.SECONDS);
    } finally {
      channel.close();
    }
  }
}
