package io.linuxpatch.contract.auth;

import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Who a client is (SEC-5): its certificate's subject CN, serial and SHA-256 fingerprint. This is the one
 * place where an X.509 certificate becomes an identity.
 *
 * @param commonName  subject CN (may contain any character a CA put there; escape before printing)
 * @param serial      serial number in lower-case hex
 * @param fingerprint SHA-256 of the DER encoding, lower-case hex
 */
public record ClientIdentity(String commonName, String serial, String fingerprint) {

  public static ClientIdentity of(X509Certificate certificate) {
    return new ClientIdentity(commonNameOf(certificate), certificate.getSerialNumber().toString(16),
        sha256(certificate));
  }

  public JsonObject toJson() {
    return new JsonObject().put("cn", commonName).put("serial", serial).put("sha256", fingerprint);
  }

  static String commonNameOf(X509Certificate certificate) {
    try {
      LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
      String cn = null;
      for (Rdn rdn : name.getRdns()) {
        if ("CN".equalsIgnoreCase(rdn.getType())) {
          cn = String.valueOf(rdn.getValue());
        }
      }
      return cn == null ? "" : cn;
    } catch (InvalidNameException e) {
      return "";
    }
  }

  static String sha256(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint a certificate the TLS layer accepted", e);
    }
  }
}
