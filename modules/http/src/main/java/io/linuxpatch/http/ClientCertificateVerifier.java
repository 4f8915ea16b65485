package io.linuxpatch.http;

import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.internal.tcnative.CertificateVerifier;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CRL;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Decides on a client certificate (SEC-2) and, when it refuses one, says why in the TLS alert (SEC-1): the
 * JDK's PKIX trust manager over the configured CA decides, the CRL is checked here, and a refusal is
 * classified — another CA or self-signed → {@code unknown_ca}, only serverAuth (or no digitalSignature key
 * usage) → {@code unsupported_certificate}, expired → {@code certificate_expired}, revoked →
 * {@code certificate_revoked}, anything else → {@code bad_certificate}. Vert.x' own CRL wrapper threw a bare
 * {@code CertificateException}, which BoringSSL turned into {@code internal_error} for every refusal.
 *
 * <p>BoringSSL takes the alert from the OpenSSL verify error carried by {@link OpenSslCertificateException};
 * the JDK engine sends {@code certificate_unknown} for any refusal of a client certificate under TLS 1.3
 * whatever the exception says, so there the message (audited as the handshake failure's reason) is all that
 * tells the cases apart. The classification runs only on a refusal; an accepted certificate costs the PKIX
 * check and a CRL lookup, as before.
 */
final class ClientCertificateVerifier extends X509ExtendedTrustManager {

  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_PURPOSE = "2.5.29.37.0";
  /** How much of the JDK's own reason a refusal message quotes. */
  private static final int REASON_CHARS = 200;

  /** Why a certificate is refused, with the TLS alert each reason gets from BoringSSL. */
  enum Refusal {
    NOT_FROM_CA("unknown_ca"),
    SELF_SIGNED("unknown_ca"),
    WRONG_PURPOSE("unsupported_certificate"),
    EXPIRED("certificate_expired"),
    NOT_YET_VALID("bad_certificate"),
    REVOKED("certificate_revoked"),
    REJECTED("bad_certificate");

    final String alert;

    Refusal(String alert) {
      this.alert = alert;
    }

    /** The OpenSSL verify error BoringSSL maps to {@link #alert} (native constants: OpenSSL engine only). */
    int openSslError() {
      return switch (this) {
        case NOT_FROM_CA -> CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
        case SELF_SIGNED -> CertificateVerifier.X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT;
        case WRONG_PURPOSE -> CertificateVerifier.X509_V_ERR_INVALID_PURPOSE;
        case EXPIRED -> CertificateVerifier.X509_V_ERR_CERT_HAS_EXPIRED;
        case NOT_YET_VALID -> CertificateVerifier.X509_V_ERR_CERT_NOT_YET_VALID;
        case REVOKED -> CertificateVerifier.X509_V_ERR_CERT_REVOKED;
        case REJECTED -> CertificateVerifier.X509_V_ERR_CERT_REJECTED;
      };
    }
  }

  private final X509ExtendedTrustManager pkix;
  private final List<X509Certificate> anchors;
  private final List<CRL> crls;
  private final boolean openSsl;

  private ClientCertificateVerifier(X509ExtendedTrustManager pkix, List<X509Certificate> anchors, List<CRL> crls,
      boolean openSsl) {
    this.pkix = pkix;
    this.anchors = anchors;
    this.crls = crls;
    this.openSsl = openSsl;
  }

  /** A verifier trusting the CA certificate(s) in {@code caPem}, refusing what {@code crlPem} (or null) revokes. */
  static ClientCertificateVerifier of(Buffer caPem, Buffer crlPem, boolean openSsl) throws GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> anchors = new ArrayList<>();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot create an in-memory trust store", e);
    }
    for (Certificate ca : factory.generateCertificates(new ByteArrayInputStream(caPem.getBytes()))) {
      anchors.add((X509Certificate) ca);
      store.setCertificateEntry("ca-" + anchors.size(), ca);
    }
    if (anchors.isEmpty()) {
      throw new GeneralSecurityException("no CA certificate in the trusted PEM");
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(store);
    X509ExtendedTrustManager pkix = null;
    for (TrustManager manager : tmf.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager extended) {
        pkix = extended;
      }
    }
    if (pkix == null) {
      throw new GeneralSecurityException("the JDK's PKIX trust manager factory made no X509ExtendedTrustManager");
    }
    List<CRL> crls = crlPem == null ? List.of()
        : List.copyOf(factory.generateCRLs(new ByteArrayInputStream(crlPem.getBytes())));
    return new ClientCertificateVerifier(pkix, List.copyOf(anchors), crls, openSsl);
  }

  /** A PKIX-style check that may refuse. */
  private interface Check {
    void run() throws CertificateException;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    verify(chain, () -> pkix.checkClientTrusted(chain, authType, engine));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    verify(chain, () -> pkix.checkClientTrusted(chain, authType, socket));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    verify(chain, () -> pkix.checkClientTrusted(chain, authType));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    throw new CertificateException("this trust manager checks client certificates only");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("this trust manager checks client certificates only");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("this trust manager checks client certificates only");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }

  private void verify(X509Certificate[] chain, Check check) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw refused(Refusal.REJECTED, "no client certificate");
    }
    try {
      check.run();
    } catch (CertificateException e) {
      Refusal why = classify(chain);
      throw refused(why, describe(why, chain[0], e));
    }
    for (X509Certificate certificate : chain) {
      for (CRL crl : crls) {
        if (crl.isRevoked(certificate)) {
          throw refused(Refusal.REVOKED, "certificate_revoked: serial " + certificate.getSerialNumber().toString(16)
              + " of " + certificate.getSubjectX500Principal().getName() + " is revoked by the configured CRL");
        }
      }
    }
  }

  /** Why PKIX refused {@code chain}, from the first fact of the leaf that explains it. */
  Refusal classify(X509Certificate[] chain) {
    X509Certificate leaf = chain[0];
    if (!anchored(chain)) {
      return signedBy(leaf, leaf) ? Refusal.SELF_SIGNED : Refusal.NOT_FROM_CA;
    }
    Date now = new Date();
    if (now.after(leaf.getNotAfter())) {
      return Refusal.EXPIRED;
    }
    if (now.before(leaf.getNotBefore())) {
      return Refusal.NOT_YET_VALID;
    }
    try {
      List<String> purposes = leaf.getExtendedKeyUsage();
      boolean[] keyUsage = leaf.getKeyUsage();
      if ((purposes != null && !purposes.contains(CLIENT_AUTH) && !purposes.contains(ANY_PURPOSE))
          || (keyUsage != null && !keyUsage[0])) {
        return Refusal.WRONG_PURPOSE;
      }
    } catch (CertificateParsingException unreadable) {
      return Refusal.REJECTED;
    }
    return Refusal.REJECTED;
  }

  /** Whether the presented path leads, signature by signature, to one of the configured CA certificates. */
  private boolean anchored(X509Certificate[] chain) {
    X509Certificate current = chain[0];
    for (int next = 1; next <= chain.length; next++) {
      for (X509Certificate anchor : anchors) {
        if (signedBy(current, anchor)) {
          return true;
        }
      }
      if (next == chain.length || !signedBy(current, chain[next])) {
        return false;
      }
      current = chain[next];
    }
    return false;
  }

  private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
    if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      return false;
    }
    try {
      certificate.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static String describe(Refusal why, X509Certificate leaf, CertificateException pkixReason) {
    String subject = leaf.getSubjectX500Principal().getName();
    String text = switch (why) {
      case NOT_FROM_CA -> subject + " is not issued by the configured CA (issuer "
          + leaf.getIssuerX500Principal().getName() + ")";
      case SELF_SIGNED -> subject + " is self-signed, not issued by the configured CA";
      case WRONG_PURPOSE -> subject + " is not for TLS client authentication (extended key usage "
          + purposesOf(leaf) + ")";
      case EXPIRED -> subject + " expired at " + leaf.getNotAfter().toInstant();
      case NOT_YET_VALID -> subject + " is valid only from " + leaf.getNotBefore().toInstant();
      case REVOKED, REJECTED -> subject + " was refused: " + bounded(pkixReason.getMessage());
    };
    return why.alert + ": the client certificate " + text;
  }

  private static String purposesOf(X509Certificate leaf) {
    try {
      List<String> purposes = leaf.getExtendedKeyUsage();
      return purposes == null ? "none" : String.join(", ", purposes.stream()
          .map(oid -> "1.3.6.1.5.5.7.3.1".equals(oid) ? "serverAuth" : CLIENT_AUTH.equals(oid) ? "clientAuth" : oid)
          .toList());
    } catch (CertificateParsingException e) {
      return "unreadable";
    }
  }

  private static String bounded(String text) {
    if (text == null) {
      return "no reason given";
    }
    return text.length() > REASON_CHARS ? text.substring(0, REASON_CHARS) + "…" : text;
  }

  private CertificateException refused(Refusal why, String message) {
    return openSsl ? new OpenSslCertificateException(message, why.openSslError()) : new CertificateException(message);
  }
}
