package io.linuxpatch.contract.auth;

import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Who a client is (SEC-5): its certificate's subject CN, serial and SHA-256 fingerprint, and whether the
 * certificate could serve as a host's TLS server certificate (SEC-6). This is the one place where an X.509
 * certificate becomes an identity.
 *
 * @param commonName      subject CN (may contain any character a CA put there; escape before printing)
 * @param serial          serial number in lower-case hex
 * @param fingerprint     SHA-256 of the DER encoding, lower-case hex
 * @param hostCertificate true when the certificate is valid for TLS server authentication: its extended key
 *                        usage lists serverAuth or anyExtendedKeyUsage, or it has no such extension (then
 *                        RFC 5280 puts no limit on its use). The agents' own certificates are of this kind
 */
public record ClientIdentity(String commonName, String serial, String fingerprint, boolean hostCertificate) {

  /** id-kp-serverAuth. */
  static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  /** anyExtendedKeyUsage. */
  static final String ANY_PURPOSE = "2.5.29.37.0";

  public static ClientIdentity of(X509Certificate certificate) {
    return new ClientIdentity(commonNameOf(certificate), certificate.getSerialNumber().toString(16),
        sha256(certificate), servesTls(certificate));
  }

  public JsonObject toJson() {
    return new JsonObject().put("cn", commonName).put("serial", serial).put("sha256", fingerprint);
  }

  /** Whether a TLS client would accept {@code certificate} as a server's certificate (by its EKU). */
  static boolean servesTls(X509Certificate certificate) {
    try {
      List<String> purposes = certificate.getExtendedKeyUsage();
      return purposes == null || purposes.contains(SERVER_AUTH) || purposes.contains(ANY_PURPOSE);
    } catch (CertificateParsingException e) {
      // An EKU the JDK cannot read: assume the worst (a host certificate gets no permission by default).
      return true;
    }
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
