package io.linuxpatch.internals;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Hook 2, Vert.x' TLS context factory SPI ({@code io.vertx.core.spi.tls.SslContextFactory}): Vert.x' OpenSSL engine,
 * whose every server context is handed to {@code configure} once Vert.x has built it — the one moment its session
 * cache size, timeout and ticket keys can be set (Vert.x' options only switch the cache on). The factory Vert.x
 * returns is wrapped and every SPI method forwarded; the constructor refuses a wrapper that misses one (Vert.x 5.1
 * replaces {@code clientAuth(ClientAuth)} with {@code forServer(ClientAuth)}, which would otherwise go unforwarded).
 */
public final class ConfiguredOpenSsl extends OpenSSLEngineOptions {

  private static final String HOOK = "TLS session settings (SslContextFactory SPI)";

  private final Consumer<SslContext> configure;

  /**
   * @param configure called with each server context Vert.x builds (the contexts of TLS clients are left alone)
   * @throws BrokenAssumption when the wrapper does not forward every method of the SPI
   */
  public ConfiguredOpenSsl(Consumer<SslContext> configure) {
    Forwarding.requireComplete(HOOK, SslContextFactory.class, ForwardingFactory.class);
    this.configure = configure;
  }

  private ConfiguredOpenSsl(ConfiguredOpenSsl other) {
    super(other);
    this.configure = other.configure;
  }

  @Override
  public OpenSSLEngineOptions copy() {
    return new ConfiguredOpenSsl(this);
  }

  @Override
  public SslContextFactory sslContextFactory() {
    return new ForwardingFactory(super.sslContextFactory(), configure);
  }

  /** Delegates the building to Vert.x' factory, then hands a server context to the hook. */
  static final class ForwardingFactory implements SslContextFactory {

    private final SslContextFactory delegate;
    private final Consumer<SslContext> configure;

    ForwardingFactory(SslContextFactory delegate, Consumer<SslContext> configure) {
      this.delegate = delegate;
      this.configure = configure;
    }

    @Override
    public SslContextFactory useAlpn(boolean useAlpn) {
      delegate.useAlpn(useAlpn);
      return this;
    }

    @Override
    public SslContextFactory clientAuth(ClientAuth clientAuth) {
      delegate.clientAuth(clientAuth);
      return this;
    }

    @Override
    public SslContextFactory forClient(boolean forClient) {
      delegate.forClient(forClient);
      return this;
    }

    @Override
    public SslContextFactory keyMananagerFactory(KeyManagerFactory kmf) {
      delegate.keyMananagerFactory(kmf);
      return this;
    }

    @Override
    public SslContextFactory trustManagerFactory(TrustManagerFactory tmf) {
      delegate.trustManagerFactory(tmf);
      return this;
    }

    @Override
    public SslContextFactory enabledCipherSuites(Set<String> suites) {
      delegate.enabledCipherSuites(suites);
      return this;
    }

    @Override
    public SslContextFactory applicationProtocols(List<String> protocols) {
      delegate.applicationProtocols(protocols);
      return this;
    }

    @Override
    public SslContextFactory serverName(String serverName) {
      delegate.serverName(serverName);
      return this;
    }

    @Override
    public SslContext create() throws SSLException {
      SslContext context = delegate.create();
      if (context.isServer()) {
        configure.accept(context);
      }
      return context;
    }
  }
}
