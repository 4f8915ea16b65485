package io.linuxpatch.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's WebSocket on {@code /api/v1/ws/jobs} (JOB-9): what it subscribed to, when it was last heard
 * from, and every write to it. A write that finds the client's queue full ends the connection instead of
 * queueing more, so a client that does not read costs at most {@link #WRITE_QUEUE_BYTES} plus one frame,
 * for at most {@link #ABORT_AFTER_MILLIS}. Runs on its verticle's event loop only.
 */
final class JobEventsSocket {

  private static final Logger LOG = LoggerFactory.getLogger(JobEventsSocket.class);

  /** Bytes the agent queues for one client before it counts as too slow. */
  static final int WRITE_QUEUE_BYTES = 128 * 1024;
  /** Close code for a client that broke the protocol's rules (too slow, silent). */
  static final short POLICY_VIOLATION = 1008;
  /** Close code when the agent stops. */
  static final short GOING_AWAY = 1001;
  /**
   * How long a closing connection may stay before its TCP connection is closed under it. Vert.x ends a
   * connection only once every queued frame is written, which never happens for a client that does not read.
   */
  static final long ABORT_AFTER_MILLIS = 3_000;

  private static final String PONG = new JsonObject().put("type", "pong").encode();

  private final Vertx vertx;
  private final ServerWebSocket ws;
  private final HttpConnection connection;
  private final int maxSubscriptions;
  private final String peer;
  private final Set<String> jobIds = new HashSet<>();
  private boolean everyJob;
  private boolean closing;
  private long lastHeardNanos;
  private long lastPingNanos;

  /** Whom the socket serves, for re-checking access when the allow-list or the roles change (SEC-4). */
  private ConnectionPeer client;

  JobEventsSocket(Vertx vertx, ServerWebSocket ws, HttpConnection connection, int maxSubscriptions, String peer) {
    this.vertx = vertx;
    this.ws = ws;
    this.connection = connection;
    this.maxSubscriptions = maxSubscriptions;
    this.peer = peer;
    this.lastHeardNanos = System.nanoTime();
    this.lastPingNanos = lastHeardNanos;
    ws.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
    // Every frame (text, binary, ping, pong, close) proves the client is there.
    ws.frameHandler(frame -> lastHeardNanos = System.nanoTime());
    ws.textMessageHandler(this::received);
    ws.binaryMessageHandler(data -> send(new JobEventsMessage.Invalid("BINARY_NOT_SUPPORTED",
        "messages are JSON text frames").frame().encode()));
    ws.exceptionHandler(e -> LOG.debug("job events socket of {}: {}", peer, e.getMessage()));
  }

  JobEventsSocket servedTo(ConnectionPeer admitted) {
    this.client = admitted;
    return this;
  }

  /** Whether {@code policy} still lets this client read job events (its address allowed, a role with read). */
  boolean stillAllowed(io.linuxpatch.contract.auth.AccessPolicy policy) {
    return client != null && client.mayRead(policy);
  }

  /** Writes an event of job {@code jobId} (already encoded once for every socket) if this client asked for it. */
  void deliver(String jobId, String frame) {
    if (everyJob || (jobId != null && jobIds.contains(jobId))) {
      send(frame);
    }
  }

  /**
   * The keep-alive rule of JOB-9, run on the verticle's clock: closes a client silent for {@code silenceNanos},
   * otherwise pings it when the last ping is {@code pingNanos} old.
   */
  void keepAlive(long now, long pingNanos, long silenceNanos) {
    if (closing) {
      return;
    }
    if (now - lastHeardNanos >= silenceNanos) {
      LOG.info("closing the job events socket of {}: nothing heard for {} s", peer, silenceNanos / 1_000_000_000L);
      close(POLICY_VIOLATION, "silent");
    } else if (now - lastPingNanos >= pingNanos) {
      lastPingNanos = now;
      if (ws.writeQueueFull()) {
        tooSlow();
      } else {
        ws.writePing(Buffer.buffer());
      }
    }
  }

  /**
   * Queues a close frame and ends the TCP connection {@link #ABORT_AFTER_MILLIS} later if the client has not
   * closed it by then. The frame is written as a frame rather than through {@code ws.close}: Vert.x would
   * then hold the connection until the frame is flushed (never, for a client that does not read), and its
   * closing timer would find the connection already gone.
   */
  void close(short code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[2 + text.length];
    payload[0] = (byte) (code >> 8);
    payload[1] = (byte) code;
    System.arraycopy(text, 0, payload, 2, text.length);
    ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.CLOSE, payload, true));
    vertx.setTimer(ABORT_AFTER_MILLIS, t -> abort());
  }

  private void received(String text) {
    JobEventsMessage message = JobEventsMessage.parse(text);
    if (message instanceof JobEventsMessage.Subscribe s) {
      if (jobIds.size() >= maxSubscriptions && !jobIds.contains(s.jobId())) {
        send(new JobEventsMessage.Invalid("TOO_MANY_SUBSCRIPTIONS", "at most " + maxSubscriptions
            + " subscriptions per connection; unsubscribe first or use subscribe_all").frame().encode());
      } else {
        jobIds.add(s.jobId());
      }
    } else if (message instanceof JobEventsMessage.Unsubscribe u) {
      jobIds.remove(u.jobId());
    } else if (message instanceof JobEventsMessage.SubscribeAll) {
      everyJob = true;
    } else if (message instanceof JobEventsMessage.Ping) {
      send(PONG);
    } else if (message instanceof JobEventsMessage.Invalid invalid) {
      send(invalid.frame().encode());
    }
  }

  private void send(String frame) {
    if (closing) {
      return;
    }
    if (ws.writeQueueFull()) {
      tooSlow();
      return;
    }
    ws.writeTextMessage(frame);
  }

  private void tooSlow() {
    LOG.info("closing the job events socket of {}: it does not read its events ({} bytes queued)", peer,
        WRITE_QUEUE_BYTES);
    close(POLICY_VIOLATION, "too slow");
  }

  /**
   * Closes the TCP connection whatever is still queued. {@code HttpConnection.close()} and a close through the
   * pipeline both wait for the queued frames, so the close starts below every handler (TLS included: no
   * close_notify either), through the same internal access to the pipeline as {@link RequestDeadline}; the
   * handlers still see the channel go inactive, and the WebSocket's close handler runs.
   */
  private void abort() {
    if (connection instanceof HttpServerConnection internal) {
      Channel channel = internal.channelHandlerContext().channel();
      ChannelHandlerContext first = channel.pipeline().firstContext();
      if (!channel.isActive()) {
        return;
      }
      if (first != null) {
        LOG.debug("job events socket of {} did not close within {} ms: connection closed", peer, ABORT_AFTER_MILLIS);
        first.close();
        return;
      }
    }
    connection.close();
  }
}
