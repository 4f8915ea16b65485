package io.linuxpatch.agent;

/**
 * JSSE settings that have no per-engine API on Java 17 and must be set before the first TLS context is
 * built: the key-exchange groups (SEC-1: X25519, P-256, P-384 only — the JDK default also offers x448,
 * P-521 and finite-field groups) and refusal of client-initiated renegotiation. An operator's explicit
 * {@code -D} setting wins.
 */
final class TlsDefaults {

  private TlsDefaults() {}

  static void apply() {
    setIfAbsent("jdk.tls.namedGroups", "x25519,secp256r1,secp384r1");
    setIfAbsent("jdk.tls.rejectClientInitiatedRenegotiation", "true");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
