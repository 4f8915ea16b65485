package io.linuxpatch.auth.filter;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;

/**
 * Put first in every accepted connection's pipeline by {@link AcceptFilter}, before Vert.x adds its TLS
 * handler: when the connection closes it asks that TLS handler whether the handshake failed, and records
 * the peer's address with the reason. Vert.x reports handshake failures without the peer (vert.x#4298), so
 * this is the only place both are known. A peer that hangs up mid-handshake is not a failure of
 * authentication and is not recorded (the handshake is not complete yet when this handler runs).
 */
@ChannelHandler.Sharable
final class HandshakeWatch extends ChannelInboundHandlerAdapter {

  private final HandshakeFailures failures;
  /** Told of every recorded failure (the filter's report becomes due). */
  private final Runnable recorded;

  HandshakeWatch(HandshakeFailures failures, Runnable recorded) {
    this.failures = failures;
    this.recorded = recorded;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    if (ssl != null && ssl.handshakeFuture().isDone() && !ssl.handshakeFuture().isSuccess()) {
      Throwable cause = ssl.handshakeFuture().cause();
      String peer = ctx.channel().remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
          ? inet.getAddress().getHostAddress() : "unknown";
      failures.add(peer, cause == null ? "handshake failed" : rootMessage(cause));
      recorded.run();
    }
    super.channelInactive(ctx);
  }

  private static String rootMessage(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    // Bounded: the reason comes from the TLS engine, but an engine message can quote what the peer sent.
    return text.length() > 300 ? text.substring(0, 300) : text;
  }
}
