package io.linuxpatch.pki;

import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * What a leaf certificate may be used for, written as its extendedKeyUsage: the JDK refuses a client
 * certificate without {@code clientAuth} (SEC-2), so the purpose is part of the certificate, not a hint.
 */
public enum KeyPurpose {
  SERVER_AUTH(KeyPurposeId.id_kp_serverAuth),
  CLIENT_AUTH(KeyPurposeId.id_kp_clientAuth);

  private final KeyPurposeId oid;

  KeyPurpose(KeyPurposeId oid) {
    this.oid = oid;
  }

  KeyPurposeId oid() {
    return oid;
  }
}
