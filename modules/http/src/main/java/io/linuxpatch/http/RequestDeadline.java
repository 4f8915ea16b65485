package io.linuxpatch.http;

import io.linuxpatch.internals.HttpChannels;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import java.util.concurrent.TimeUnit;

/**
 * SEC-7: a request that has not arrived completely within the deadline is dropped (slowloris), while an
 * idle kept-alive connection is left to the idle timeout.
 *
 * <p>Vert.x has no such option, and its request handler only runs once the headers are complete — too
 * late to see a client trickling them. So two small handlers are put into the connection's Netty
 * pipeline around the HTTP/1.x decoder: the first starts the clock on the first byte of a request, the
 * second stops it when the decoder has produced the request's last content. The pipeline is reached through
 * the internals module's {@link HttpChannels} (hook 3), which throws rather than let a connection it does not
 * recognise go without the deadline; HTTP/2 connections have no HTTP/1.x decoder and are left to Netty's own
 * HTTP/2 limits and the idle timeout.
 */
final class RequestDeadline {

  private static final String START = "lpa-request-start";
  private static final String END = "lpa-request-end";

  private final long timeoutMillis;
  private ScheduledFuture<?> clock;

  private RequestDeadline(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Installs the deadline on an HTTP/1.x connection; does nothing for HTTP/2.
   *
   * @throws io.linuxpatch.internals.BrokenAssumption when the connection is not laid out as Vert.x 5.0 lays it
   */
  static void install(HttpConnection connection, long timeoutMillis) {
    if (!HttpChannels.isHttp1(connection)) {
      return;
    }
    ChannelPipeline pipeline = HttpChannels.http1Pipeline(connection);
    RequestDeadline deadline = new RequestDeadline(timeoutMillis);
    pipeline.addBefore(HttpChannels.DECODER, START, deadline.new FirstByte());
    pipeline.addAfter(HttpChannels.DECODER, END, deadline.new LastContent());
  }

  /**
   * Removes the deadline and the HTTP idle timeout from a connection upgraded to a WebSocket: its frames
   * are no HTTP requests (the deadline's clock would start on the first one and never stop), and its
   * liveness is the WebSocket's own ping and silence rule (JOB-9). Call on the connection's event loop.
   */
  static void handOverToWebSocket(HttpConnection connection) {
    ChannelPipeline pipeline = HttpChannels.channel(connection).pipeline();
    if (pipeline.get(START) instanceof FirstByte first) {
      first.deadline().stop();
      pipeline.remove(START);
    }
    if (pipeline.get(END) != null) {
      pipeline.remove(END);
    }
    HttpChannels.removeIdleTimeout(connection);
  }

  /** Raw bytes before the decoder: the first byte of a request starts the clock. */
  private final class FirstByte extends ChannelInboundHandlerAdapter {
    RequestDeadline deadline() {
      return RequestDeadline.this;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (clock == null) {
        clock = ctx.executor().schedule(() -> {
          // The request did not arrive in time: no answer, the connection simply goes away.
          ctx.channel().close();
        }, timeoutMillis, TimeUnit.MILLISECONDS);
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      stop();
      ctx.fireChannelInactive();
    }
  }

  /** Decoded messages after the decoder: the request's last content stops the clock. */
  private final class LastContent extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof LastHttpContent) {
        stop();
      }
      ctx.fireChannelRead(msg);
    }
  }

  private void stop() {
    if (clock != null) {
      clock.cancel(false);
      clock = null;
    }
  }
}
