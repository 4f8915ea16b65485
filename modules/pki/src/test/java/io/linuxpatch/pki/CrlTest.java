package io.linuxpatch.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CRLs signed by the CA")
class CrlTest {

  private final CertificateAuthority ca = CertificateAuthority.create("CRL CA", Duration.ofDays(365));
  private final Instant thisUpdate = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  @Test
  @DisplayName("the CRL lists the revoked serial, not the others, and verifies with the CA's key")
  void listsRevokedSerial() throws Exception {
    X509Certificate revoked = ca.issue(LeafSpec.client("revoked")).certificate();
    X509Certificate good = ca.issue(LeafSpec.client("good")).certificate();

    X509CRL crl = PemFiles.parseCrl(ca.crlPem(List.of(revoked.getSerialNumber()), thisUpdate,
        thisUpdate.plus(Duration.ofDays(7))).getBytes(StandardCharsets.US_ASCII));

    assertThat(crl.isRevoked(revoked)).isTrue();
    assertThat(crl.isRevoked(good)).isFalse();
    assertThatCode(() -> crl.verify(ca.certificate().getPublicKey())).doesNotThrowAnyException();
    assertThat(crl.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(crl.getVersion()).isEqualTo(2);
    assertThat(crl.getThisUpdate().toInstant()).isEqualTo(thisUpdate);
    assertThat(crl.getNextUpdate().toInstant()).isEqualTo(thisUpdate.plus(Duration.ofDays(7)));
  }

  @Test
  @DisplayName("the CRL carries a CRL number and the authority key identifier")
  void extensions() {
    X509CRL crl = ca.crl(List.of(BigInteger.TEN), thisUpdate, thisUpdate.plus(Duration.ofDays(1)));
    assertThat(crl.getExtensionValue(Extension.cRLNumber.getId())).isNotNull();
    assertThat(crl.getExtensionValue(Extension.authorityKeyIdentifier.getId())).isNotNull();
  }

  @Test
  @DisplayName("a CRL from another CA with the same name does not verify with the real CA's key")
  void foreignCrlFailsVerification() {
    CertificateAuthority rogue = CertificateAuthority.create("CRL CA", Duration.ofDays(365));
    X509CRL crl = rogue.crl(List.of(), thisUpdate, thisUpdate.plus(Duration.ofDays(1)));
    assertThatThrownBy(() -> crl.verify(ca.certificate().getPublicKey())).isInstanceOf(SignatureException.class);
  }

  @Test
  @DisplayName("a CRL whose nextUpdate is not after thisUpdate is refused")
  void refusesInvertedWindow() {
    assertThatThrownBy(() -> ca.crl(List.of(), thisUpdate, thisUpdate))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
