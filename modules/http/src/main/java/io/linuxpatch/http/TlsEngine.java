package io.linuxpatch.http;

import io.linuxpatch.internals.ConfiguredOpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import java.security.SecureRandom;
import javax.net.ssl.SSLSessionContext;

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
    return OPENSSL ? boringSsl() : new JdkSSLEngineOptions();
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

  /**
   * Vert.x' OpenSSL engine, whose server contexts get the session cache settings and the process' ticket key through
   * the internals module's {@link ConfiguredOpenSsl} (hook 2: it refuses to build when it cannot forward Vert.x'
   * whole context factory SPI, so a Vert.x upgrade fails the start instead of serving without resumption).
   */
  private static OpenSSLEngineOptions boringSsl() {
    return new ConfiguredOpenSsl(TlsEngine::resumeSessions).setSessionCacheEnabled(true);
  }

  /** Switches session resumption on in a server context Vert.x has just built. */
  private static void resumeSessions(SslContext context) {
    SSLSessionContext sessions = context.sessionContext();
    sessions.setSessionTimeout(SESSION_TIMEOUT_SECONDS);
    sessions.setSessionCacheSize(SESSION_CACHE_SIZE);
    if (sessions instanceof OpenSslSessionContext openSsl) {
      openSsl.setSessionCacheEnabled(true);
      openSsl.setTicketKeys(ticketKey);
    }
  }
}
