package io.linuxpatch.http;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.auth.AccessPolicy;
import io.linuxpatch.contract.auth.ClientIdentity;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket endpoint {@code /api/v1/ws/jobs} of one HTTP verticle (JOB-9): upgrades the requests the
 * route table lets through, and fans the job events out to this verticle's sockets from ONE event-bus
 * consumer, each event encoded once. It also runs the keep-alive clock: a ping every 30 s, a close after
 * 90 s without a frame from the client, a close after 10 s in which the agent could not write to it. A client
 * certificate holds at most {@link SocketQuota#PER_CLIENT} sockets across the agent.
 *
 * <p>The consumer is local: the events of this host's jobs go to this host's clients; in a cluster other
 * nodes' events concern other hosts' jobs (CLU-1 lets other subscribers have them, not these sockets).
 */
final class JobEventsRelay {

  private static final Logger LOG = LoggerFactory.getLogger(JobEventsRelay.class);

  static final Duration PING_INTERVAL = Duration.ofSeconds(30);
  static final Duration SILENCE_LIMIT = Duration.ofSeconds(90);
  /** A socket the agent cannot write to (client not reading) for this long is too slow and closed. */
  static final Duration STALL_LIMIT = Duration.ofSeconds(10);
  /** WebSocket connections one verticle (one core) serves at a time. */
  static final int MAX_CONNECTIONS = 100;
  /** Job ids one connection may subscribe to. */
  static final int MAX_SUBSCRIPTIONS = 1000;

  private final Vertx vertx;
  private final long pingNanos;
  private final long silenceNanos;
  private final long stallNanos;
  private final int maxConnections;
  private final SocketQuota quota;
  private final int maxSubscriptions;
  private final Set<JobEventsSocket> sockets = new LinkedHashSet<>();
  private MessageConsumer<Object> consumer;
  private long clock = -1;

  /** The relay of one HTTP verticle; {@code quota} counts every verticle's sockets per client certificate. */
  JobEventsRelay(Vertx vertx, SocketQuota quota) {
    this(vertx, PING_INTERVAL, SILENCE_LIMIT, STALL_LIMIT, MAX_CONNECTIONS, MAX_SUBSCRIPTIONS, quota);
  }

  /** Tests shrink the intervals and limits. */
  JobEventsRelay(Vertx vertx, Duration pingInterval, Duration silenceLimit, Duration stallLimit, int maxConnections,
      int maxSubscriptions, SocketQuota quota) {
    this.vertx = vertx;
    this.pingNanos = pingInterval.toNanos();
    this.silenceNanos = silenceLimit.toNanos();
    this.stallNanos = stallLimit.toNanos();
    this.maxConnections = maxConnections;
    this.maxSubscriptions = maxSubscriptions;
    this.quota = quota;
  }

  /** Subscribes to the job events; call on the verticle's context. */
  void start() {
    consumer = vertx.eventBus().localConsumer(Addresses.JOB_EVENTS, this::relay);
  }

  /**
   * Runs the keep-alive clock while a socket is open, and only then: an agent with no socket open is not woken
   * up for it (issue 16). A third of the shortest interval: a silent or stalled client is closed at most a third
   * late.
   */
  private void clockWhileOpen() {
    if (sockets.isEmpty()) {
      if (clock >= 0) {
        vertx.cancelTimer(clock);
        clock = -1;
      }
      return;
    }
    if (clock < 0) {
      long tickMillis = Math.max(1, Math.min(Math.min(pingNanos, silenceNanos), stallNanos) / 3 / 1_000_000);
      clock = vertx.setPeriodic(tickMillis, t -> {
        long now = System.nanoTime();
        for (JobEventsSocket socket : new ArrayList<>(sockets)) {
          socket.keepAlive(now, pingNanos, silenceNanos, stallNanos);
        }
      });
    }
  }

  /** Closes every socket (1001) and stops listening. */
  void stop() {
    if (clock >= 0) {
      vertx.cancelTimer(clock);
    }
    if (consumer != null) {
      consumer.unregister();
    }
    new ArrayList<>(sockets).forEach(s -> s.close(JobEventsSocket.GOING_AWAY, "agent stopping"));
  }

  /**
   * Root handler, first of all: pauses a WebSocket upgrade request so that it is still unread when the
   * {@code jobEvents} route runs — after the asynchronous OpenAPI validation, by which time Vert.x would have
   * read the request's end and refuse the upgrade. (A request answered without the upgrade does not need
   * resuming: Vert.x goes on with the connection's next request once the answer has ended.)
   */
  static void holdUpgrade(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (isUpgrade(request)) {
      request.pause();
    }
    ctx.next();
  }

  /** An HTTP/1.x request asking for {@code Upgrade: websocket}. */
  static boolean isUpgrade(HttpServerRequest request) {
    return request.version() != HttpVersion.HTTP_2 && "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
  }

  /** What RFC 6455 4.2.1 requires of the opening handshake and {@code request} lacks, or null. */
  static String handshakeProblem(HttpServerRequest request) {
    if (!"13".equals(request.getHeader("Sec-WebSocket-Version"))) {
      return "Sec-WebSocket-Version: 13 is required";
    }
    String key = request.getHeader("Sec-WebSocket-Key");
    byte[] nonce;
    try {
      nonce = key == null ? null : java.util.Base64.getDecoder().decode(key.strip());
    } catch (IllegalArgumentException notBase64) {
      nonce = null;
    }
    if (nonce == null || nonce.length != 16) {
      return "Sec-WebSocket-Key must be a base64-encoded 16-byte nonce";
    }
    return null;
  }

  /** The route handler of {@code jobEvents}: runs after identity, rate limit and permission were checked. */
  void upgrade(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!isUpgrade(request)) {
      ctx.fail(new ApiFailure(ErrorCode.INVALID_REQUEST, "this endpoint speaks WebSocket only: send an HTTP/1.1 "
          + "request with Connection: Upgrade and Upgrade: websocket",
          new JsonObject().put("headers", "Upgrade: websocket is required")));
      return;
    }
    String handshakeProblem = handshakeProblem(request);
    if (handshakeProblem != null) {
      // Checked here, because a handshake Vert.x refuses is answered by Vert.x itself: a bare 400 without the
      // envelope. RFC 6455 4.4: a refused version names the one the server speaks.
      ctx.response().putHeader("Sec-WebSocket-Version", "13");
      ctx.fail(new ApiFailure(ErrorCode.INVALID_REQUEST, "the WebSocket handshake is incomplete: " + handshakeProblem,
          new JsonObject().put("headers", handshakeProblem)));
      return;
    }
    if (sockets.size() >= maxConnections) {
      ctx.fail(new ApiFailure(ErrorCode.SERVICE_UNAVAILABLE, "this agent already serves " + maxConnections
          + " job event sockets on this core; retry later"));
      return;
    }
    HttpConnection connection = request.connection();
    String peer = request.remoteAddress() == null ? "?" : request.remoteAddress().toString();
    ClientIdentity identity = ClientAccess.identityOf(ctx);
    String who = identity == null ? peer : identity.commonName() + "@" + peer;
    // Per certificate, not per address: one client's sockets, wherever they come from and whichever verticle
    // serves them, count against one quota.
    String holder = identity == null ? peer : identity.fingerprint();
    if (!quota.acquire(holder)) {
      ctx.fail(new ApiFailure(ErrorCode.TOO_MANY_SOCKETS, "this client certificate already holds "
          + quota.perClient() + " job event sockets; close one, or follow every job on one socket (subscribe_all)",
          new JsonObject().put("max_sockets_per_client", quota.perClient())));
      return;
    }
    request.toWebSocket().onComplete(upgraded -> {
      if (upgraded.failed()) {
        quota.release(holder);
        LOG.debug("job events upgrade of {} refused: {}", who, upgraded.cause().getMessage());
        if (!ctx.response().headWritten()) {
          ctx.fail(new ApiFailure(ErrorCode.INVALID_REQUEST, "the WebSocket handshake failed: "
              + upgraded.cause().getMessage()));
        }
        return;
      }
      RequestAudit.upgraded(ctx);
      // From here on the WebSocket keep-alive rule replaces the HTTP request deadline and idle timeout.
      RequestDeadline.handOverToWebSocket(connection);
      JobEventsSocket socket = new JobEventsSocket(vertx, upgraded.result(), connection, maxSubscriptions, who)
          .servedTo(ClientAccess.peerOf(ctx));
      sockets.add(socket);
      clockWhileOpen();
      upgraded.result().closeHandler(v -> {
        sockets.remove(socket);
        clockWhileOpen();
        quota.release(holder);
        LOG.debug("job events socket of {} closed {} {}", who, upgraded.result().closeStatusCode(), upgraded.result().closeReason());
      });
      LOG.debug("job events socket of {} open", who);
    });
  }

  /**
   * SEC-4 for long-lived connections: after an allow-list or authorization change, a socket whose peer address
   * or certificate no longer passes is closed (1008) — an HTTP client would be refused on its next request, a
   * WebSocket client makes none.
   */
  void recheck(AccessPolicy policy) {
    for (JobEventsSocket socket : new ArrayList<>(sockets)) {
      if (!socket.stillAllowed(policy)) {
        socket.close(JobEventsSocket.POLICY_VIOLATION, "access withdrawn");
      }
    }
  }

  /** Open sockets of this verticle (tests watch a slow client go away). */
  int connections() {
    return sockets.size();
  }

  private void relay(Message<Object> message) {
    if (!(message.body() instanceof JsonObject event)) {
      LOG.warn("ignored a job event that is not a JSON object on {}", Addresses.JOB_EVENTS);
      return;
    }
    if (sockets.isEmpty()) {
      return;
    }
    JsonObject job = event.getValue("job") instanceof JsonObject j ? j : null;
    String jobId = job == null || !(job.getValue("job_id") instanceof String id) ? null
        : id.toLowerCase(Locale.ROOT);
    String frame = event.encode();
    for (JobEventsSocket socket : new ArrayList<>(sockets)) {
      socket.deliver(jobId, frame);
    }
  }
}
