package io.linuxpatch.agent;

/**
 * JSSE settings that have no per-engine API on Java 17 and must be set before the first TLS context is
 * built: the key-exchange groups and refusal of client-initiated renegotiation. An operator's explicit
 * {@code -D} setting wins.
 *
 * <p>SEC-1 groups, in order of preference: the hybrid post-quantum X25519MLKEM768, then X25519, P-256, P-384 —
 * the JDK default also offers x448, P-521 and finite-field groups. Netty's OpenSSL engine reads the same
 * property once, when it loads, and keeps the names its BoringSSL knows (netty-tcnative 2.0.74 has
 * X25519MLKEM768); the JDK 17 engine does not know X25519MLKEM768 and skips it.
 *
 * <p>The key protection of in-memory PKCS12 key stores, one round: Vert.x turns the server's PEM key into a
 * KeyManagerFactory through a key store of the default type (PKCS12), whose entry the JDK protects with 10,000
 * PBKDF2-SHA256 rounds when it is set and again when it is read — for every HTTP server, under a password that is a
 * constant in Vert.x' source, so it protects nothing. It was a fifth of the start-up's sampled CPU (issue 16, JFR).
 * The agent writes no PKCS12 file, the only kind of key store this setting weakens.
 */
final class TlsDefaults {

  private TlsDefaults() {}

  static void apply() {
    setIfAbsent("jdk.tls.namedGroups", "X25519MLKEM768,x25519,secp256r1,secp384r1");
    setIfAbsent("jdk.tls.rejectClientInitiatedRenegotiation", "true");
    setIfAbsent("keystore.pkcs12.keyPbeIterationCount", "1");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
