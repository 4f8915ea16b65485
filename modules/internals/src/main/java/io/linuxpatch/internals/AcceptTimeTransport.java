package io.linuxpatch.internals;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.transport.Transport;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hook 1, Vert.x' transport SPI ({@code io.vertx.core.spi.transport.Transport}): a transport that behaves exactly
 * like the one it wraps, except that every HTTP server's listening channel gets {@code acceptHandler} ahead of
 * Netty's acceptor — the only place where a connection can be refused before TLS starts (SEC-3; Vert.x has no
 * public accept-time hook, vert-x3/issues#190: {@code connectionHandler} runs after the handshake).
 *
 * <p>Vert.x' public transport handle ({@code io.vertx.core.transport.Transport}) and the SPI share a simple name:
 * the SPI is imported, the handle written out.
 *
 * <p>Every SPI method, default ones included, is forwarded, so the wrapped transport's own choices stay in force;
 * {@link #wrap} refuses to build a wrapper that misses one (a Vert.x upgrade that adds a method), and
 * {@link #requireInstalled} fails the start when no HTTP server got the handler (an upgrade that binds HTTP servers
 * through another method, as Vert.x 5.1's {@code configure(TcpConfig, …)} does).
 */
public final class AcceptTimeTransport implements Transport {

  private static final String HOOK = "accept-time filter (Transport SPI)";

  private final Transport delegate;
  private final ChannelHandler acceptHandler;
  private final Handle handle;
  private final AtomicInteger installed = new AtomicInteger();

  private AcceptTimeTransport(io.vertx.core.transport.Transport chosen, ChannelHandler acceptHandler) {
    this.delegate = chosen.implementation();
    this.acceptHandler = acceptHandler;
    this.handle = new Handle(chosen, this);
  }

  /**
   * The transport to build a Vert.x with: {@code Vertx.builder().withTransport(wrap(chosen, handler).handle())}.
   *
   * @param chosen        the real transport, e.g. the native one when available, else NIO
   * @param acceptHandler a {@code @Sharable} handler for every HTTP server's listening channel
   * @throws BrokenAssumption when this wrapper does not forward every method of the SPI
   */
  public static AcceptTimeTransport wrap(io.vertx.core.transport.Transport chosen, ChannelHandler acceptHandler) {
    Forwarding.requireComplete(HOOK, Transport.class, AcceptTimeTransport.class);
    return new AcceptTimeTransport(chosen, acceptHandler);
  }

  /** The public transport handle Vert.x' builder takes; name and availability are the wrapped one's. */
  public io.vertx.core.transport.Transport handle() {
    return handle;
  }

  /** How many HTTP servers' listening channels got the handler so far. */
  public int installedOn() {
    return installed.get();
  }

  /**
   * Call once the HTTP servers listen: throws {@link BrokenAssumption} when none of them got the handler, i.e.
   * when this Vert.x no longer binds HTTP servers through {@code configure(NetServerOptions, …)} with their
   * {@code HttpServerOptions} — the API would then answer peers that are not on the allow-list.
   */
  public void requireInstalled() {
    if (installed.get() == 0) {
      throw new BrokenAssumption(HOOK, "no HTTP server's listening channel was configured through "
          + "Transport.configure(NetServerOptions, boolean, ServerBootstrap) with HttpServerOptions, so the "
          + "accept-time filter is not in place");
    }
  }

  private record Handle(io.vertx.core.transport.Transport chosen, Transport implementation)
      implements io.vertx.core.transport.Transport {
    @Override
    public String name() {
      return chosen.name();
    }

    @Override
    public boolean available() {
      return chosen.available();
    }

    @Override
    public Throwable unavailabilityCause() {
      return chosen.unavailabilityCause();
    }
  }

  @Override
  public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
    delegate.configure(options, domainSocket, bootstrap);
    // Vert.x binds HTTP servers with (a copy of) their HttpServerOptions; the clustered event bus and plain
    // NetServers use NetServerOptions and must stay reachable by peers that are not on the API allow-list.
    // Vert.x sets no server-channel handler of its own, so this one sits alone ahead of the acceptor.
    if (options instanceof HttpServerOptions && !domainSocket) {
      bootstrap.handler(acceptHandler);
      installed.incrementAndGet();
    }
  }

  @Override
  public boolean supportsDomainSockets() {
    return delegate.supportsDomainSockets();
  }

  @Override
  public boolean supportFileRegion() {
    return delegate.supportFileRegion();
  }

  @Override
  public boolean isAvailable() {
    return delegate.isAvailable();
  }

  @Override
  public Throwable unavailabilityCause() {
    return delegate.unavailabilityCause();
  }

  // java.net's and Vert.x' SocketAddress share a simple name: the JDK's is written out.
  @Override
  public java.net.SocketAddress convert(SocketAddress address) {
    return delegate.convert(address);
  }

  @Override
  public SocketAddress convert(java.net.SocketAddress address) {
    return delegate.convert(address);
  }

  @Override
  public IoHandlerFactory ioHandlerFactory() {
    return delegate.ioHandlerFactory();
  }

  @Override
  public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
    return delegate.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
  }

  @Override
  public DatagramChannel datagramChannel() {
    return delegate.datagramChannel();
  }

  @Override
  public DatagramChannel datagramChannel(InternetProtocolFamily family) {
    return delegate.datagramChannel(family);
  }

  @Override
  public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
    return delegate.channelFactory(domainSocket);
  }

  @Override
  public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
    return delegate.serverChannelFactory(domainSocket);
  }

  @Override
  public void configure(DatagramChannel channel, DatagramSocketOptions options) {
    delegate.configure(channel, options);
  }

  @Override
  public void configure(ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
    delegate.configure(options, connectTimeout, domainSocket, bootstrap);
  }
}
