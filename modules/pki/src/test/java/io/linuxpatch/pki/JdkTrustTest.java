package io.linuxpatch.pki;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Proves that what we issue is judged by the JDK itself the way SEC-2 needs. */
@Tag("SEC-2")
@DisplayName("The JDK's own validation of issued certificates")
class JdkTrustTest {

  private final CertificateAuthority ca = CertificateAuthority.create("Trust CA", Duration.ofDays(365));

  @Test
  @DisplayName("a client certificate validates with PKIX CertPathValidator against the CA")
  void pkixAcceptsClient() {
    X509Certificate client = ca.issue(LeafSpec.client("alice")).certificate();
    assertThatCode(() -> validate(client)).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("PKIX rejects a certificate from a rogue CA that has the same CN as the real one")
  void pkixRejectsRogue() {
    CertificateAuthority rogue = CertificateAuthority.create("Trust CA", Duration.ofDays(365));
    X509Certificate client = rogue.issue(LeafSpec.client("alice")).certificate();
    assertThatThrownBy(() -> validate(client)).isInstanceOf(CertPathValidatorException.class);
  }

  @Test
  @DisplayName("the trust manager accepts a clientAuth leaf as a TLS client")
  void trustManagerAcceptsClient() throws Exception {
    X509Certificate client = ca.issue(LeafSpec.client("alice")).certificate();
    assertThatCode(() -> trustManager().checkClientTrusted(new X509Certificate[] {client}, "EC"))
        .doesNotThrowAnyException();
  }

  @Test
  @DisplayName("the trust manager rejects a serverAuth-only leaf as a TLS client: the JDK enforces the EKU")
  void trustManagerRejectsServerOnly() throws Exception {
    X509Certificate serverOnly = ca.issue(LeafSpec.client("mallory").withPurposes(KeyPurpose.SERVER_AUTH))
        .certificate();
    assertThatThrownBy(() -> trustManager().checkClientTrusted(new X509Certificate[] {serverOnly}, "EC"))
        .isInstanceOf(CertificateException.class);
  }

  @Test
  @DisplayName("the trust manager rejects an expired client certificate")
  void trustManagerRejectsExpired() throws Exception {
    Instant past = Instant.now().minus(Duration.ofDays(30));
    X509Certificate expired = ca.issue(LeafSpec.client("old").withValidity(past, past.plus(Duration.ofDays(1))))
        .certificate();
    assertThatThrownBy(() -> trustManager().checkClientTrusted(new X509Certificate[] {expired}, "EC"))
        .isInstanceOf(CertificateException.class);
  }

  private void validate(X509Certificate leaf) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(
        CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
  }

  private X509TrustManager trustManager() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(store);
    return (X509TrustManager) factory.getTrustManagers()[0];
  }
}
