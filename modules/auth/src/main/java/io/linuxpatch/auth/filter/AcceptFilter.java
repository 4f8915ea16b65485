package io.linuxpatch.auth.filter;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.LocalCodec;
import io.linuxpatch.contract.auth.AccessPolicy;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The silent drop of SEC-3: sits in a listening channel's pipeline ahead of Netty's acceptor, sees every
 * accepted connection before it has any handler (so before any TLS byte), and closes with a reset those
 * whose remote IP the current {@link AccessPolicy} does not allow.
 *
 * <p>Runs on the acceptor thread: no I/O, no logging per connection, no blocking. Drops are counted per
 * source IP in a bounded table that the agent drains at its own pace to log and audit them.
 */
@ChannelHandler.Sharable
public final class AcceptFilter extends ChannelInboundHandlerAdapter {

  /** Distinct source addresses counted per interval; the rest only add to the total (flood bound). */
  public static final int MAX_TRACKED_ADDRESSES = 256;

  private volatile AccessPolicy policy;
  private final LongAdder droppedSinceStart = new LongAdder();
  // Guarded by "this". Held for a map increment on the acceptor thread and for a copy of at most 256
  // entries when drained: microseconds, never I/O, so the acceptor cannot stall behind it.
  private Map<String, Long> byAddress = new HashMap<>();
  private long total;
  private long otherAddresses;
  private Instant since = Instant.now();
  private final HandshakeFailures handshakeFailures = new HandshakeFailures();
  private final HandshakeWatch handshakeWatch = new HandshakeWatch(handshakeFailures, this::reportDue);
  /** Whether something was counted since the last drain, and whom to tell when the first thing is. */
  private final AtomicBoolean due = new AtomicBoolean();
  private volatile Runnable onDue = () -> { };

  /** A filter that drops everyone until the first policy arrives (deny by default, SEC-4). */
  public AcceptFilter() {
    this(AccessPolicy.denyAll());
  }

  public AcceptFilter(AccessPolicy initial) {
    this.policy = initial;
  }

  /** Applies to connections accepted from now on. Callable from any thread. */
  public void update(AccessPolicy newer) {
    this.policy = newer;
  }

  public AccessPolicy policy() {
    return policy;
  }

  /**
   * Keeps this filter on the latest policy AuthVerticle publishes on {@code lpa.auth.policy}, and asks once
   * for the current one in case AuthVerticle published before this subscription. Call on the Vert.x
   * instance built with the internals module's {@code AcceptTimeTransport}; unregister the consumer to stop following.
   */
  public MessageConsumer<AccessPolicy> follow(EventBus bus) {
    LocalCodec.register(bus, AccessPolicy.class);
    MessageConsumer<AccessPolicy> consumer = bus.localConsumer(Addresses.AUTH_POLICY, m -> update(m.body()));
    bus.<AccessPolicy>request(Addresses.AUTH_POLICY_CURRENT, null).onSuccess(reply -> {
      // A published snapshot may have overtaken this reply: never go back to an older generation.
      if (reply.body().generation() > policy.generation()) {
        update(reply.body());
      }
    });
    return consumer;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Channel child) {
      InetAddress address = remoteAddress(child.remoteAddress());
      if (address == null || !policy.allows(address)) {
        drop(child);
        count(address);
        return;
      }
      // First in the child's pipeline, ahead of the TLS handler Vert.x adds when the child registers.
      child.pipeline().addFirst(handshakeWatch);
    }
    ctx.fireChannelRead(msg);
  }

  /**
   * Runs {@code action} (on the acceptor or an event-loop thread: it must only hand over) when the first drop or
   * failed handshake since the last {@link #drainDrops()} is counted, so that the agent reports them one interval
   * later and is not woken up while there is nothing to report (issue 16).
   */
  public void onReportDue(Runnable action) {
    onDue = action;
    if (due.get()) {
      action.run(); // counted before anyone was told
    }
  }

  private void reportDue() {
    if (due.compareAndSet(false, true)) {
      onDue.run();
    }
  }

  /** The drops since the last call, and starts a new interval. */
  public DropCounts drainDrops() {
    // Reset first: what is counted from here on makes the next report due.
    due.set(false);
    Instant now = Instant.now();
    synchronized (this) {
      DropCounts counts = new DropCounts(byAddress, total, otherAddresses, since, now);
      byAddress = new HashMap<>();
      total = 0;
      otherAddresses = 0;
      since = now;
      return counts;
    }
  }

  /** Failed TLS handshakes of allowed peers since the last call (AUD-1 authentication failures). */
  public HandshakeFailures.Drained drainHandshakeFailures() {
    return handshakeFailures.drain();
  }

  /** Every drop since this filter was made, for a metrics counter. */
  public long droppedSinceStart() {
    return droppedSinceStart.sum();
  }

  private static InetAddress remoteAddress(SocketAddress address) {
    // Anything but an IP peer (a domain socket, an already-reset peer with no address) is not on the list.
    return address instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }

  private static void drop(Channel child) {
    try {
      // Linger 0 turns close into a TCP reset: the peer sees a refused-looking connection, not a FIN.
      child.config().setOption(ChannelOption.SO_LINGER, 0);
    } catch (RuntimeException alreadyGone) {
      // The peer reset first; closing below still releases the descriptor.
    }
    // The child is not registered with an event loop yet: this closes the socket right here, as Netty's
    // own acceptor does when it cannot register a child.
    child.unsafe().closeForcibly();
  }

  private void count(InetAddress address) {
    droppedSinceStart.increment();
    reportDue();
    String key = address == null ? "unknown" : address.getHostAddress();
    synchronized (this) {
      total++;
      Long previous = byAddress.get(key);
      if (previous != null) {
        byAddress.put(key, previous + 1);
      } else if (byAddress.size() < MAX_TRACKED_ADDRESSES) {
        byAddress.put(key, 1L);
      } else {
        otherAddresses++;
      }
    }
  }
}
