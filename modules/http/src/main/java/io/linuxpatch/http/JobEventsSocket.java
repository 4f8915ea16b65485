package io.linuxpatch.http;

import io.linuxpatch.contract.auth.AccessPolicy;
import io.linuxpatch.internals.BrokenAssumption;
import io.linuxpatch.internals.HttpChannels;
import io.linuxpatch.internals.WebSocketCloseFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's WebSocket on {@code /api/v1/ws/jobs} (JOB-9): what it subscribed to, when it was last heard
 * from, and every write to it. A client that does not read costs a bounded amount, counting what the kernel
 * holds for it, and not for long:
 *
 * <ul>
 *   <li>the socket's send buffer is shrunk to {@link #KERNEL_SEND_BUFFER_BYTES} when it becomes a WebSocket
 *       (Linux books twice that) — left to the kernel's autotuning it absorbed megabytes per client before the
 *       agent's own queue saw a byte (50 clients that never read held 51 MB, none was closed);</li>
 *   <li>a write that finds the agent's queue ({@link #WRITE_QUEUE_BYTES}) full ends the connection instead of
 *       queueing more;</li>
 *   <li>a frame the socket has not taken within the relay's stall limit (the kernel's buffer full: the client
 *       does not read) ends it too, even when no further event comes to find the queue full.</li>
 * </ul>
 *
 * <p>The connection is then gone within {@link #ABORT_AFTER_MILLIS}. Runs on its verticle's event loop only.
 */
final class JobEventsSocket {

  private static final Logger LOG = LoggerFactory.getLogger(JobEventsSocket.class);

  /** Bytes the agent queues for one client (plus the frame that crosses it) before it counts as too slow. */
  static final int WRITE_QUEUE_BYTES = 192 * 1024;
  /**
   * SO_SNDBUF of a WebSocket connection. Measured on Linux with clients that never read (JobEventsLivenessTest):
   * the kernel then queues at most 54 KiB per socket, against 3.9 MB left to autotuning (and 162 KiB with 32 KiB
   * here, where the kernel's overshoot of one large segment starts to show). Job events are small: 16 KiB still
   * carries tens of MB/s on a LAN.
   */
  static final int KERNEL_SEND_BUFFER_BYTES = 16 * 1024;
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
  /** When each frame not yet taken by the socket was written, oldest first (writes complete in order). */
  private final ArrayDeque<Long> unwritten = new ArrayDeque<>();

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
    boundKernelBuffer();
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
  boolean stillAllowed(AccessPolicy policy) {
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
  void keepAlive(long now, long pingNanos, long silenceNanos, long stallNanos) {
    if (closing) {
      return;
    }
    Long oldest = unwritten.peekFirst();
    if (oldest != null && now - oldest >= stallNanos) {
      LOG.info("closing the job events socket of {}: a frame has waited {} s for it to read", peer,
          stallNanos / 1_000_000_000L);
      close(POLICY_VIOLATION, "too slow");
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
    ws.writeFrame(WebSocketCloseFrame.of(code, reason));
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
    unwritten.addLast(System.nanoTime());
    ws.writeTextMessage(frame).onComplete(written -> unwritten.pollFirst());
  }

  /**
   * Shrinks the kernel's send buffer of this connection (see the class comment); Vert.x has no option for one
   * connection, so this reaches the Netty channel as {@link #abort()} does. A connection without one is
   * refused rather than served with an unbounded kernel buffer.
   */
  private void boundKernelBuffer() {
    try {
      HttpChannels.channel(connection).config().setOption(ChannelOption.SO_SNDBUF, KERNEL_SEND_BUFFER_BYTES);
    } catch (BrokenAssumption broken) {
      LOG.error("job events socket of {} closed, its kernel send buffer cannot be bounded: {}", peer,
          broken.getMessage());
      close(GOING_AWAY, "unsupported connection");
    }
  }

  private void tooSlow() {
    LOG.info("closing the job events socket of {}: it does not read its events ({} bytes queued, the kernel's "
        + "send buffer full)", peer, WRITE_QUEUE_BYTES);
    close(POLICY_VIOLATION, "too slow");
  }

  /**
   * Closes the TCP connection whatever is still queued. {@code HttpConnection.close()} and a close through the
   * pipeline both wait for the queued frames, so the close starts below every handler (TLS included: no
   * close_notify either), through the same internal access to the pipeline as {@link RequestDeadline}; the
   * handlers still see the channel go inactive, and the WebSocket's close handler runs.
   */
  private void abort() {
    Channel channel;
    try {
      channel = HttpChannels.channel(connection);
    } catch (BrokenAssumption broken) {
      // boundKernelBuffer already refused this connection and logged why; end it the public way.
      connection.close();
      return;
    }
    ChannelHandlerContext first = channel.pipeline().firstContext();
    if (!channel.isActive()) {
      return;
    }
    if (first != null) {
      LOG.debug("job events socket of {} did not close within {} ms: connection closed", peer, ABORT_AFTER_MILLIS);
      first.close();
      return;
    }
    connection.close();
  }
}
