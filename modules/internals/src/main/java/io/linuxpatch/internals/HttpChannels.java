package io.linuxpatch.internals;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;

/**
 * Hook 3, Vert.x' HTTP server connection classes ({@code io.vertx.core.http.impl}): the Netty channel under an
 * HTTP server connection, and the names Vert.x gives the handlers of an HTTP/1.x connection's pipeline. Vert.x'
 * public {@code HttpConnection} offers neither, and the agent needs both: a request deadline around the decoder
 * (SEC-7), its own decoder (RFC 9112 framing), and, for a WebSocket, a kernel send buffer of its own size and a
 * close below the TLS handler (JOB-9). A connection that is not what this was written against is never served
 * without the hook: every method throws {@link BrokenAssumption}, and the callers close the connection and log it.
 */
public final class HttpChannels {

  /** The name of Vert.x' HTTP/1.x request decoder in a connection's pipeline. */
  public static final String DECODER = "httpDecoder";
  /** The name of Vert.x' idle-timeout handler ({@code idleTimeout} of the server options). */
  public static final String IDLE = "idle";

  private static final String HOOK = "HTTP connection internals (io.vertx.core.http.impl)";

  private HttpChannels() {}

  /** The Netty channel of a Vert.x HTTP server connection (HTTP/1.x or HTTP/2). */
  public static Channel channel(HttpConnection connection) {
    if (connection instanceof HttpServerConnection internal) {
      return internal.channelHandlerContext().channel();
    }
    throw new BrokenAssumption(HOOK, "an HTTP server connection is an " + HttpServerConnection.class.getName()
        + ", not a " + connection.getClass().getName());
  }

  /** Whether the connection speaks HTTP/1.x (an HTTP/2 connection has no request decoder of that kind). */
  public static boolean isHttp1(HttpConnection connection) {
    channel(connection);
    return connection instanceof Http1xServerConnection;
  }

  /**
   * The pipeline of an HTTP/1.x connection, with Vert.x' request decoder under {@link #DECODER} (call from the
   * server's connection handler, before any request was read).
   */
  public static ChannelPipeline http1Pipeline(HttpConnection connection) {
    ChannelPipeline pipeline = channel(connection).pipeline();
    ChannelHandler decoder = pipeline.get(DECODER);
    if (!(decoder instanceof VertxHttpRequestDecoder)) {
      throw new BrokenAssumption(HOOK, "an HTTP/1.x connection's pipeline has Vert.x' request decoder under the name '"
          + DECODER + "', but it has " + (decoder == null ? "none" : decoder.getClass().getName())
          + " (handlers: " + pipeline.names() + ")");
    }
    return pipeline;
  }

  /** Puts {@code decoder} in place of Vert.x' own on an HTTP/1.x connection, under the same name. */
  public static void replaceDecoder(HttpConnection connection, VertxRequestDecoder decoder) {
    http1Pipeline(connection).replace(DECODER, DECODER, decoder);
  }

  /**
   * Removes Vert.x' idle-timeout handler from the connection, if the server set one; throws when an idle handler is
   * there under another name than {@link #IDLE} (it would stay, and close a connection this hook was meant to free).
   */
  public static void removeIdleTimeout(HttpConnection connection) {
    ChannelPipeline pipeline = channel(connection).pipeline();
    if (pipeline.get(IDLE) instanceof IdleStateHandler) {
      pipeline.remove(IDLE);
    } else if (pipeline.get(IdleStateHandler.class) != null) {
      throw new BrokenAssumption(HOOK, "Vert.x' idle-timeout handler is named '" + IDLE + "' (handlers: "
          + pipeline.names() + ")");
    }
  }
}
