package io.linuxpatch.pki;

import static io.linuxpatch.pki.CertificateFinding.Severity.ERROR;
import static io.linuxpatch.pki.CertificateFinding.Severity.WARNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.linuxpatch.contract.config.TlsConfig;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("CFG-4")
@DisplayName("CertificateChecks (CFG-4)")
class CertificateChecksTest {

  private static final int THRESHOLD = 7;

  @TempDir Path dir;
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private CertificateAuthority ca;
  private Path caPem;
  private Path serverPem;
  private Path serverKey;

  @BeforeEach
  void goodSetup() throws IOException {
    ca = CertificateAuthority.create("Dev CA", Duration.ofDays(3650));
    caPem = dir.resolve("ca.pem");
    serverPem = dir.resolve("server.pem");
    serverKey = dir.resolve("server.key.pem");
    ca.writeTo(caPem, dir.resolve("ca.key.pem"));
    ca.issue(LeafSpec.server("agent")).writeTo(serverPem, serverKey);
  }

  private TlsConfig tls(String crl) {
    return new TlsConfig(caPem.toString(), serverPem.toString(), serverKey.toString(), crl, "1.3");
  }

  private CertificateReport check() {
    return check(null);
  }

  private CertificateReport check(String crl) {
    return CertificateChecks.check(tls(crl), now, THRESHOLD);
  }

  private void installServer(LeafSpec spec) throws IOException {
    ca.issue(spec).writeTo(serverPem, serverKey);
  }

  @Nested
  @DisplayName("a good setup")
  class Good {

    @Test
    @DisplayName("has no findings, is ok and hands back the parsed objects and the exact bytes read")
    void ok() throws IOException {
      CertificateReport report = check();
      assertThat(report.findings()).isEmpty();
      assertThat(report.ok()).isTrue();
      assertThat(report.caCertificates()).containsExactly(ca.certificate());
      assertThat(report.serverChain()).hasSize(1);
      assertThat(report.serverKey()).isNotNull();
      assertThat(report.crl()).isNull();
      assertThat(report.serverDaysLeft()).isBetween(823L, 825L);
      assertThat(report.caDaysLeft()).isBetween(3648L, 3650L);
      assertThat(report.caPem()).isEqualTo(Files.readAllBytes(caPem));
      assertThat(report.serverCertPem()).isEqualTo(Files.readAllBytes(serverPem));
      assertThat(report.serverKeyPem()).isEqualTo(Files.readAllBytes(serverKey));
      assertThat(report.crlPem()).isNull();
    }

    @Test
    @DisplayName("with a current CRL from the CA is ok and hands back the CRL")
    void okWithCrl() throws IOException {
      Path crl = dir.resolve("crl.pem");
      Files.writeString(crl, ca.crlPem(List.of(BigInteger.ONE), now, now.plus(Duration.ofDays(7))));
      CertificateReport report = check(crl.toString());
      assertThat(report.findings()).isEmpty();
      assertThat(report.crl().getRevokedCertificate(BigInteger.ONE)).isNotNull();
      assertThat(report.crlPem()).isEqualTo(Files.readAllBytes(crl));
    }

    @Test
    @DisplayName("does not show key material in the report's toString")
    void noKeyInToString() throws IOException {
      String key = Files.readString(serverKey);
      String base64 = key.lines().skip(1).findFirst().orElseThrow();
      assertThat(check().toString()).doesNotContain(base64).contains("ok=true");
    }
  }

  @Nested
  @DisplayName("step 1, files exist")
  class FilesExist {

    @Test
    @DisplayName("a missing certificate is one ERROR that says how to get one, and nothing else about that file")
    void missingCertificate() throws IOException {
      Files.delete(serverPem);
      CertificateReport report = check();
      assertThat(report.findings()).singleElement().satisfies(f -> {
        assertThat(f.severity()).isEqualTo(ERROR);
        assertThat(f.key()).isEqualTo("tls.server_cert");
        assertThat(f.message()).isEqualTo(serverPem + " does not exist; run `linux-patch-api dev` for a "
            + "development setup or point tls.server_cert at the agent's certificate");
      });
      assertThat(report.ok()).isFalse();
      assertThat(report.serverCertPem()).isNull();
    }

    @Test
    @DisplayName("all three missing files are reported, in config order")
    void allMissing() throws IOException {
      Files.delete(caPem);
      Files.delete(serverPem);
      Files.delete(serverKey);
      assertThat(check().findings()).extracting(CertificateFinding::key)
          .containsExactly("tls.ca_cert", "tls.server_cert", "tls.server_key");
    }

    @Test
    @DisplayName("an unset path and a directory are findings, not exceptions")
    void unsetAndDirectory() {
      CertificateReport report = CertificateChecks.check(
          new TlsConfig(null, dir.toString(), serverKey.toString(), null, "1.3"), now, THRESHOLD);
      assertThat(report.lines()).containsExactly(
          "ERROR tls.ca_cert: not set; point it at the CA certificate that client certificates must chain to",
          "ERROR tls.server_cert: " + dir + " is a directory, not a file; point tls.server_cert at the agent's "
              + "certificate");
    }
  }

  @Nested
  @DisplayName("step 2, PEM parses")
  class PemParses {

    @Test
    @DisplayName("garbage base64, an empty file and a binary file are each one ERROR for their key")
    void badContent() throws IOException {
      Files.writeString(caPem, "-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n");
      Files.write(serverPem, new byte[0]);
      Files.write(serverKey, new byte[] {0, 1, 2, (byte) 0xff, 0x7f, 0});
      CertificateReport report = check();
      assertThat(report.findings()).extracting(CertificateFinding::severity, CertificateFinding::key)
          .containsExactly(tuple(ERROR, "tls.ca_cert"), tuple(ERROR, "tls.server_cert"),
              tuple(ERROR, "tls.server_key"));
      assertThat(report.findings().get(0).message()).contains("not valid PEM");
      assertThat(report.findings().get(1).message()).contains("is empty");
      assertThat(report.findings().get(2).message()).contains("binary file");
      assertThat(report.serverKeyPem()).hasSize(6);
    }

    @Test
    @DisplayName("a certificate file holding a key instead says so")
    void swappedFiles() {
      CertificateReport report = CertificateChecks.check(
          new TlsConfig(caPem.toString(), serverKey.toString(), serverPem.toString(), null, "1.3"), now, THRESHOLD);
      assertThat(report.lines()).hasSize(2);
      assertThat(report.lines().get(0)).startsWith("ERROR tls.server_cert: " + serverKey)
          .contains("holds a private key but not a PEM certificate");
      assertThat(report.lines().get(1)).startsWith("ERROR tls.server_key: " + serverPem)
          .contains("holds a certificate but not a PEM private key");
    }
  }

  @Nested
  @DisplayName("step 3, validity")
  class Validity {

    @Test
    @DisplayName("an expired server certificate is an ERROR that says when and how to renew")
    void expired() throws IOException {
      Instant notAfter = now.minus(Duration.ofDays(7));
      installServer(LeafSpec.server("agent").withValidity(notAfter.minus(Duration.ofDays(30)), notAfter));
      assertThat(check().lines()).containsExactly("ERROR tls.server_cert: " + serverPem + " expired on " + notAfter
          + " (7 days ago); renew it (linux-patch-api --renew-certs when enrollment is configured)");
    }

    @Test
    @DisplayName("a server certificate that is not yet valid is an ERROR that points at the clock")
    void notYetValid() throws IOException {
      Instant notBefore = now.plus(Duration.ofHours(3));
      installServer(LeafSpec.server("agent").withValidity(notBefore, notBefore.plus(Duration.ofDays(30))));
      CertificateReport report = check();
      assertThat(report.findings()).singleElement().satisfies(f -> {
        assertThat(f.key()).isEqualTo("tls.server_cert");
        assertThat(f.message()).contains("is not valid until " + notBefore + " (in 3 hours)", "host clock");
      });
    }

    @Test
    @DisplayName("an expired CA is an ERROR on tls.ca_cert and the chain is not judged against it")
    void expiredCa() throws IOException {
      CertificateReport report = CertificateChecks.check(tls(null), now.plus(Duration.ofDays(3651)), THRESHOLD);
      assertThat(report.findings()).extracting(CertificateFinding::severity, CertificateFinding::key)
          .containsExactly(tuple(ERROR, "tls.ca_cert"), tuple(ERROR, "tls.server_cert"));
      assertThat(report.findings().get(0).message()).contains("the CA certificate", "expired on");
      assertThat(report.findings().get(1).message()).contains("expired on");
    }
  }

  @Nested
  @DisplayName("step 4, key matches certificate")
  class KeyMatches {

    @Test
    @DisplayName("a key from another certificate is an ERROR on tls.server_key that says which key to install")
    void mismatch() throws IOException {
      ca.issue(LeafSpec.server("other")).writeTo(dir.resolve("other.pem"), serverKey);
      CertificateReport report = check();
      assertThat(report.findings()).singleElement().satisfies(f -> {
        assertThat(f.severity()).isEqualTo(ERROR);
        assertThat(f.key()).isEqualTo("tls.server_key");
        assertThat(f.message()).startsWith("the key " + serverKey + " does not match the certificate " + serverPem)
            .endsWith("; install the key that was issued with it");
      });
    }

    @Test
    @DisplayName("the key comparison catches an RSA key paired with an EC certificate")
    void wrongAlgorithm() throws Exception {
      var rsa = java.security.KeyPairGenerator.getInstance("RSA");
      rsa.initialize(2048);
      Files.writeString(serverKey, PemFiles.encode(rsa.generateKeyPair().getPrivate()));
      assertThat(check().findings()).singleElement().satisfies(f ->
          assertThat(f.message()).contains("the key is RSA but the certificate's key is EC"));
    }
  }

  @Nested
  @DisplayName("step 5, certificate chains to the CA")
  class Chain {

    @Test
    @DisplayName("a server certificate from a foreign CA is an ERROR naming both issuers")
    void foreignCa() throws IOException {
      CertificateAuthority.create("Foreign CA", Duration.ofDays(365)).issue(LeafSpec.server("agent"))
          .writeTo(serverPem, serverKey);
      assertThat(check().findings()).singleElement().satisfies(f -> {
        assertThat(f.key()).isEqualTo("tls.server_cert");
        assertThat(f.message()).contains("is issued by CN=Foreign CA, not by the CA in " + caPem + " (CN=Dev CA)");
      });
    }

    @Test
    @DisplayName("a server certificate from a rogue CA with the same name is told apart from the real CA")
    void rogueCaWithSameName() throws IOException {
      CertificateAuthority.create("Dev CA", Duration.ofDays(365)).issue(LeafSpec.server("agent"))
          .writeTo(serverPem, serverKey);
      assertThat(check().findings()).singleElement().satisfies(f ->
          assertThat(f.message()).contains("a different CA with the same name"));
    }

    @Test
    @DisplayName("an intermediate CA after the leaf in the server file completes the chain to the root")
    void throughIntermediate() throws Exception {
      CertificateAuthority intermediate = intermediateOf(ca, "Issuing CA");
      IssuedCertificate leaf = intermediate.issue(LeafSpec.server("agent"));
      leaf.writeTo(serverPem, serverKey);
      Files.writeString(serverPem, PemFiles.encode(List.of(leaf.certificate(), intermediate.certificate())));
      CertificateReport report = check();
      assertThat(report.findings()).isEmpty();
      assertThat(report.serverChain()).hasSize(2);

      Files.writeString(serverPem, leaf.certificatePem()); // without the intermediate there is no chain
      assertThat(check().findings()).singleElement().satisfies(f ->
          assertThat(f.message()).contains("is issued by CN=Issuing CA, not by the CA in"));
    }

    /** The API has no intermediates (developer mode needs none), so the test signs one with BouncyCastle. */
    private CertificateAuthority intermediateOf(CertificateAuthority root, String cn) throws Exception {
      var generator = java.security.KeyPairGenerator.getInstance("EC");
      generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
      var keys = generator.generateKeyPair();
      var builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(root.certificate(),
          BigInteger.valueOf(42), java.util.Date.from(now.minus(Duration.ofHours(1))),
          java.util.Date.from(now.plus(Duration.ofDays(365))),
          new javax.security.auth.x500.X500Principal("CN=" + cn), keys.getPublic());
      builder.addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
          new org.bouncycastle.asn1.x509.BasicConstraints(0));
      builder.addExtension(org.bouncycastle.asn1.x509.Extension.keyUsage, true,
          new org.bouncycastle.asn1.x509.KeyUsage(org.bouncycastle.asn1.x509.KeyUsage.keyCertSign));
      var signer = new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
          .build(root.privateKey());
      var certificate = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
          .getCertificate(builder.build(signer));
      Path certFile = dir.resolve("intermediate.pem");
      Path keyFile = dir.resolve("intermediate.key.pem");
      new IssuedCertificate(certificate, keys.getPrivate()).writeTo(certFile, keyFile);
      return CertificateAuthority.load(certFile, keyFile);
    }
  }

  @Nested
  @DisplayName("step 6, expiring soon")
  class Expiring {

    @Test
    @DisplayName("a certificate expiring within the threshold is only a WARNING, and the report stays ok")
    void expiringSoon() throws IOException {
      installServer(LeafSpec.server("agent").withValidity(now.minus(Duration.ofDays(100)),
          now.plus(Duration.ofDays(3))));
      CertificateReport report = check();
      assertThat(report.lines()).containsExactly("WARNING tls.server_cert: expires on "
          + now.plus(Duration.ofDays(3)) + " (in 3 days, within cert_renewal_threshold_days 7); renew it "
          + "(linux-patch-api --renew-certs when enrollment is configured)");
      assertThat(report.ok()).isTrue();
      assertThat(report.serverDaysLeft()).isEqualTo(3L);
    }

    @Test
    @DisplayName("a CA expiring within the threshold is a WARNING on tls.ca_cert")
    void caExpiringSoon() throws IOException {
      ca = CertificateAuthority.create("Short CA", Duration.ofDays(2));
      ca.writeTo(caPem, dir.resolve("ca.key.pem"));
      installServer(LeafSpec.server("agent").withValidity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1))));
      CertificateReport report = check();
      assertThat(report.findings()).extracting(CertificateFinding::severity, CertificateFinding::key)
          .containsExactly(tuple(WARNING, "tls.server_cert"), tuple(WARNING, "tls.ca_cert"));
      assertThat(report.ok()).isTrue();
    }
  }

  @Nested
  @DisplayName("the CRL")
  class Crl {

    @Test
    @DisplayName("a configured CRL that is missing is an ERROR")
    void missing() {
      CertificateReport report = check(dir.resolve("crl.pem").toString());
      assertThat(report.findings()).singleElement().satisfies(f -> {
        assertThat(f.key()).isEqualTo("tls.crl_path");
        assertThat(f.message()).contains("does not exist");
      });
    }

    @Test
    @DisplayName("a CRL that is not a CRL is an ERROR")
    void garbage() throws IOException {
      Path crl = dir.resolve("crl.pem");
      Files.writeString(crl, "hello\n");
      assertThat(check(crl.toString()).lines()).singleElement().asString()
          .startsWith("ERROR tls.crl_path: " + crl + " is not a usable CRL");
    }

    @Test
    @DisplayName("a CRL signed by another CA with the same name is an ERROR")
    void signedByAnotherCa() throws IOException {
      Path crl = dir.resolve("crl.pem");
      Files.writeString(crl, CertificateAuthority.create("Dev CA", Duration.ofDays(1))
          .crlPem(List.of(), now, now.plus(Duration.ofDays(1))));
      CertificateReport report = check(crl.toString());
      assertThat(report.findings()).singleElement().satisfies(f -> {
        assertThat(f.severity()).isEqualTo(ERROR);
        assertThat(f.key()).isEqualTo("tls.crl_path");
        assertThat(f.message()).contains("a different CA with the same name", "install the CRL published by the CA");
      });
    }

    @Test
    @DisplayName("a CRL past its nextUpdate is only a WARNING")
    void stale() throws IOException {
      Path crl = dir.resolve("crl.pem");
      Instant nextUpdate = now.minus(Duration.ofDays(2));
      Files.writeString(crl, ca.crlPem(List.of(), nextUpdate.minus(Duration.ofDays(7)), nextUpdate));
      CertificateReport report = check(crl.toString());
      assertThat(report.lines()).containsExactly("WARNING tls.crl_path: " + crl + " is stale: its nextUpdate was "
          + nextUpdate + " (2 days ago); fetch the current CRL from the CA, certificates revoked since then are "
          + "still accepted");
      assertThat(report.ok()).isTrue();
      assertThat(report.crl()).isNotNull();
    }
  }

  @Nested
  @DisplayName("ordering")
  class Ordering {

    @Test
    @DisplayName("findings follow the CFG-4 steps across files: exists, parses, validity, key, chain, expiring, CRL")
    void stepsInOrder() throws IOException {
      Path crl = dir.resolve("crl.pem");
      Instant nextUpdate = now.minus(Duration.ofDays(1));
      Files.writeString(crl, ca.crlPem(List.of(), nextUpdate.minus(Duration.ofDays(7)), nextUpdate));
      Instant notAfter = now.minus(Duration.ofDays(1));
      ca.issue(LeafSpec.server("agent").withValidity(notAfter.minus(Duration.ofDays(9)), notAfter))
          .writeTo(serverPem, dir.resolve("unused.key.pem"));
      // ca: missing; key: present but garbage; cert: expired; crl: stale
      Files.writeString(serverKey, "-----BEGIN PRIVATE KEY-----\n@@@\n-----END PRIVATE KEY-----\n");
      Files.delete(caPem);

      CertificateReport report = check(crl.toString());

      assertThat(report.findings()).extracting(CertificateFinding::severity, CertificateFinding::key)
          .containsExactly(
              tuple(ERROR, "tls.ca_cert"),       // step 1: does not exist
              tuple(ERROR, "tls.server_key"),    // step 2: PEM does not parse
              tuple(ERROR, "tls.server_cert"),   // step 3: expired
              tuple(WARNING, "tls.crl_path"));   // CRL: stale (parsed, nothing to verify it against)
      assertThat(report.findings().get(0).message()).contains("does not exist");
      assertThat(report.findings().get(1).message()).contains("not valid PEM");
      assertThat(report.findings().get(2).message()).contains("expired on");
    }

    @Test
    @DisplayName("a file that failed one step gets no further findings: expired and foreign gives only 'expired'")
    void noCascade() throws IOException {
      Instant notAfter = now.minus(Duration.ofDays(1));
      CertificateAuthority.create("Foreign", Duration.ofDays(365))
          .issue(LeafSpec.server("agent").withValidity(notAfter.minus(Duration.ofDays(9)), notAfter))
          .writeTo(serverPem, serverKey);
      assertThat(check().findings()).singleElement().satisfies(f ->
          assertThat(f.message()).contains("expired on"));
    }
  }
}
