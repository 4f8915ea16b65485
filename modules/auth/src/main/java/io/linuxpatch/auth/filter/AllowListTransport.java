package io.linuxpatch.auth.filter;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
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

/**
 * A Vert.x transport that behaves exactly like the one it wraps, except that every HTTP server's
 * listening channel gets the {@link AcceptFilter} ahead of Netty's acceptor: the only place where a
 * connection can be refused before TLS starts (Vert.x has no public accept-time hook, vert-x3/issues#190).
 *
 * <p>Every SPI method, default ones included, is forwarded, so the wrapped transport's own choices stay in
 * force; a test checks that by reflection, which catches a Vert.x upgrade adding a method.
 */
public final class AllowListTransport implements Transport {

  private final Transport delegate;
  private final AcceptFilter filter;

  AllowListTransport(Transport delegate, AcceptFilter filter) {
    this.delegate = delegate;
    this.filter = filter;
  }

  /**
   * The transport to build the agent's Vert.x with:
   * {@code Vertx.builder().withTransport(AllowListTransport.wrap(chosen, filter)).build()}.
   *
   * @param chosen the real transport, e.g. {@code Transport.EPOLL} when available, else {@code Transport.NIO}
   * @param filter the filter fed with access policies
   */
  public static io.vertx.core.transport.Transport wrap(io.vertx.core.transport.Transport chosen, AcceptFilter filter) {
    return new Wrapped(chosen, new AllowListTransport(chosen.implementation(), filter));
  }

  /** The public transport handle Vert.x' builder takes; name and availability are the wrapped one's. */
  private record Wrapped(io.vertx.core.transport.Transport chosen, Transport implementation)
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
      bootstrap.handler(filter);
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
