package io.linuxpatch.http;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS engine of the API server (issue 7): BoringSSL through netty-tcnative where its native library
 * loads (Linux x86-64 and ARM64), the JDK's engine elsewhere or with {@code -Dlpa.tls.engine=jdk}. Both
 * resume sessions: a server-side session cache and session tickets (the only resumption TLS 1.3 has),
 * encrypted with keys made at random once per process and shared by every HTTP verticle, so a ticket
 * from one event loop resumes on another. Certificate checks (client certificate required, CA, CRL) are the
 * agent's {@link ClientCertificateVerifier}, whichever engine runs.
 */
public final class TlsEngine {

  /** Sessions (cache and tickets) are resumable for at most this long. */
  static final int SESSION_TIMEOUT_SECONDS = 3600;
  /** Entries of the server-side session cache (TLS 1.2 session ids). */
  static final int SESSION_CACHE_SIZE = 20_000;

  private static final boolean OPENSSL = !"jdk".equals(System.getProperty("lpa.tls.engine"))
      && OpenSSLEngineOptions.isAvailable() && OpenSSLEngineOptions.isAlpnAvailable();
  /**
   * The ticket key of the contexts built from now on. Replaced for every new generation of TLS material
   * (certificates, CA, CRL): a ticket issued before a revocation must not resume after it, because a resumed
   * handshake does not run the trust manager again. Both HTTP verticles build their contexts for one generation
   * with the same key, so a ticket still resumes on either event loop.
   */
  private static volatile OpenSslSessionTicketKey ticketKey = OPENSSL ? newTicketKey() : null;
  private static long keyGeneration = Long.MIN_VALUE;

  private TlsEngine() {}

  /**
   * Called with the generation of the TLS material a server is about to use, before its contexts are built:
   * a newer generation gets a new ticket key (and the new contexts their own, empty session caches).
   */
  static synchronized void materialGeneration(long generation) {
    if (OPENSSL && generation > keyGeneration) {
      if (keyGeneration != Long.MIN_VALUE) {
        ticketKey = newTicketKey();
      }
      keyGeneration = generation;
    }
  }

  /** The engine options for server options and for every TLS reload. */
  static SSLEngineOptions options() {
    return OPENSSL ? new BoringSsl() : new JdkSSLEngineOptions();
  }

  /** Whether BoringSSL serves (its certificate refusals take OpenSSL verify errors, {@link ClientCertificateVerifier}). */
  static boolean openSsl() {
    return OPENSSL;
  }

  /** Which engine serves, for the start-up log line. */
  public static String name() {
    return OPENSSL ? "openssl (BoringSSL, netty-tcnative)" : "jdk";
  }

  private static OpenSslSessionTicketKey newTicketKey() {
    SecureRandom random = new SecureRandom();
    byte[] name = new byte[OpenSslSessionTicketKey.NAME_SIZE];
    byte[] hmac = new byte[OpenSslSessionTicketKey.HMAC_KEY_SIZE];
    byte[] aes = new byte[OpenSslSessionTicketKey.AES_KEY_SIZE];
    random.nextBytes(name);
    random.nextBytes(hmac);
    random.nextBytes(aes);
    return new OpenSslSessionTicketKey(name, hmac, aes);
  }

  /** Vert.x' OpenSSL engine, whose contexts get the session cache settings and the process' ticket key. */
  private static final class BoringSsl extends OpenSSLEngineOptions {

    BoringSsl() {
      setSessionCacheEnabled(true);
    }

    @Override
    public OpenSSLEngineOptions copy() {
      return new BoringSsl();
    }

    @Override
    public SslContextFactory sslContextFactory() {
      return new Resuming(super.sslContextFactory());
    }
  }

  /** Delegates the building to Vert.x' factory and then switches session resumption on. */
  private static final class Resuming implements SslContextFactory {

    private final SslContextFactory delegate;

    Resuming(SslContextFactory delegate) {
      this.delegate = delegate;
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
        SSLSessionContext sessions = context.sessionContext();
        sessions.setSessionTimeout(SESSION_TIMEOUT_SECONDS);
        sessions.setSessionCacheSize(SESSION_CACHE_SIZE);
        if (sessions instanceof OpenSslSessionContext openSsl) {
          openSsl.setSessionCacheEnabled(true);
          openSsl.setTicketKeys(ticketKey);
        }
      }
      return context;
    }
  }
}
