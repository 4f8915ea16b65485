package io.linuxpatch.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("CertificateAuthority")
class CertificateAuthorityTest {

  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final int DNS = 2;
  private static final int IP = 7;

  private final CertificateAuthority ca = CertificateAuthority.create("Test CA", Duration.ofDays(3650));

  @Test
  @DisplayName("a new CA is self-signed, a critical CA:true with keyCertSign and cRLSign, and has a subject key id")
  void caCertificate() throws Exception {
    X509Certificate c = ca.certificate();
    c.verify(c.getPublicKey());
    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=Test CA");
    assertThat(c.getIssuerX500Principal()).isEqualTo(c.getSubjectX500Principal());
    assertThat(c.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(c.getCriticalExtensionOIDs()).contains(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
    // keyUsage bits: 5 = keyCertSign, 6 = cRLSign
    assertThat(c.getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false, false);
    assertThat(c.getExtensionValue(Extension.subjectKeyIdentifier.getId())).isNotNull();
    assertThat(c.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(c.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(c.getNotAfter().toInstant()).isBetween(Instant.now().plus(Duration.ofDays(3649)),
        Instant.now().plus(Duration.ofDays(3651)));
  }

  @Test
  @DisplayName("certify signs a key generated elsewhere (a CSR's): the certificate holds that public key and verifies with the CA")
  void certifiesAForeignKey() throws Exception {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    java.security.KeyPair keys = generator.generateKeyPair();
    X509Certificate c = ca.certify(LeafSpec.server("host-7"), keys.getPublic());
    c.verify(ca.certificate().getPublicKey());
    assertThat(c.getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=host-7");
    assertThat(c.getExtendedKeyUsage()).containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
    assertThat(KeyMatch.mismatch(c.getPublicKey(), keys.getPrivate())).isEmpty();
  }

  @Test
  @DisplayName("a server certificate carries serverAuth and clientAuth, SANs localhost/127.0.0.1/::1 and 825 days from an hour ago")
  void serverCertificate() throws Exception {
    Instant before = Instant.now();
    X509Certificate c = ca.issue(LeafSpec.server("agent-1")).certificate();

    c.verify(ca.certificate().getPublicKey());
    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=agent-1");
    assertThat(c.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(c.getExtendedKeyUsage()).containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
    assertThat(c.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
        List.of(DNS, "localhost"), List.of(IP, "127.0.0.1"), List.of(IP, "0:0:0:0:0:0:0:1"));
    assertThat(c.getNotBefore().toInstant()).isBetween(before.minus(Duration.ofMinutes(61)),
        before.minus(Duration.ofMinutes(59)));
    assertThat(Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant()))
        .isEqualTo(Duration.ofDays(825));
    assertThat(c.getBasicConstraints()).isEqualTo(-1);
    assertThat(c.getCriticalExtensionOIDs()).contains(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
    assertThat(c.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(c.getExtensionValue(Extension.authorityKeyIdentifier.getId())).isNotNull();
  }

  @Test
  @DisplayName("a client certificate carries clientAuth only and no SANs")
  void clientCertificate() throws Exception {
    X509Certificate c = ca.issue(LeafSpec.client("alice")).certificate();
    assertThat(c.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    assertThat(c.getSubjectAlternativeNames()).isNull();
    assertThat(Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant()))
        .isEqualTo(Duration.ofDays(825));
  }

  @Test
  @DisplayName("the withers change one field: purposes, validity, DNS names and IP addresses")
  void withers() throws Exception {
    Instant from = Instant.parse("2020-01-01T00:00:00Z");
    Instant to = Instant.parse("2021-01-01T00:00:00Z");
    X509Certificate c = ca.issue(LeafSpec.client("bob").withPurposes(KeyPurpose.SERVER_AUTH)
        .withValidity(from, to).withDnsNames("a.example", "b.example").withIpAddresses("10.0.0.1"))
        .certificate();
    assertThat(c.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(c.getNotBefore().toInstant()).isEqualTo(from);
    assertThat(c.getNotAfter().toInstant()).isEqualTo(to);
    assertThat(c.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
        List.of(DNS, "a.example"), List.of(DNS, "b.example"), List.of(IP, "10.0.0.1"));
  }

  @Test
  @DisplayName("a leaf spec refuses a blank CN, an inverted validity window and a malformed IP address")
  void specValidation() {
    Instant now = Instant.now();
    assertThatThrownBy(() -> LeafSpec.client(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LeafSpec.client("x").withValidity(now, now.minus(1, ChronoUnit.DAYS)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LeafSpec.client("x").withIpAddresses("localhost"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("serials are positive, exactly 128 bits long and different for every certificate")
  void serials() {
    BigInteger a = ca.issue(LeafSpec.client("a")).certificate().getSerialNumber();
    BigInteger b = ca.issue(LeafSpec.client("a")).certificate().getSerialNumber();
    assertThat(a.signum()).isEqualTo(1);
    assertThat(a.bitLength()).isEqualTo(128);
    assertThat(b).isNotEqualTo(a);
  }

  @Test
  @DisplayName("a CN with a comma stays one CN instead of becoming extra name attributes")
  void commaInCommonName() {
    X509Certificate c = ca.issue(LeafSpec.client("ops, O=Evil")).certificate();
    X500Name subject = X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
    assertThat(subject.getRDNs()).hasSize(1);
    assertThat(subject.getRDNs(BCStyle.CN)[0].getFirst().getValue().toString()).isEqualTo("ops, O=Evil");
  }

  @Test
  @DisplayName("a CA written to PEM loads back with the same certificate and a key that still issues verifiable certificates")
  void writeAndLoad(@TempDir Path dir) throws Exception {
    ca.writeTo(dir.resolve("ca.pem"), dir.resolve("ca.key.pem"));
    CertificateAuthority loaded = CertificateAuthority.load(dir.resolve("ca.pem"), dir.resolve("ca.key.pem"));
    assertThat(loaded.certificate()).isEqualTo(ca.certificate());
    loaded.issue(LeafSpec.client("carol")).certificate().verify(ca.certificate().getPublicKey());
  }

  @Test
  @DisplayName("loading refuses a key that does not belong to the CA certificate, and a leaf posing as a CA")
  void loadRefusesMismatch(@TempDir Path dir) throws Exception {
    ca.writeTo(dir.resolve("ca.pem"), dir.resolve("ca.key.pem"));
    CertificateAuthority.create("Other", Duration.ofDays(1)).writeTo(dir.resolve("o.pem"), dir.resolve("o.key.pem"));
    assertThatThrownBy(() -> CertificateAuthority.load(dir.resolve("ca.pem"), dir.resolve("o.key.pem")))
        .isInstanceOf(PemFormatException.class).hasMessageContaining("is not the key of");

    ca.issue(LeafSpec.client("leaf")).writeTo(dir.resolve("leaf.pem"), dir.resolve("leaf.key.pem"));
    assertThatThrownBy(() -> CertificateAuthority.load(dir.resolve("leaf.pem"), dir.resolve("leaf.key.pem")))
        .isInstanceOf(PemFormatException.class).hasMessageContaining("not a CA certificate");
  }

  @Test
  @DisplayName("toString of a CA or an issued certificate never shows key material")
  void noKeyInToString() {
    IssuedCertificate issued = ca.issue(LeafSpec.client("dave"));
    assertThat(issued.toString()).contains("CN=dave").doesNotContain("PRIVATE").doesNotContain(issued.privateKeyPem());
    assertThat(ca.toString()).isEqualTo("CertificateAuthority[CN=Test CA]");
  }
}
