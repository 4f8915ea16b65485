package io.linuxpatch.tests;

import io.linuxpatch.pki.CertificateAuthority;
import io.linuxpatch.pki.IssuedCertificate;
import io.linuxpatch.pki.KeyPurpose;
import io.linuxpatch.pki.LeafSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The certificates an end-to-end test needs, made fresh for each test class (nothing committed): the
 * agent's CA, server and client, and the bad clients of SEC-2 — another CA with the same name, expired,
 * revoked (through a CRL), and one with only the serverAuth EKU.
 */
final class TestPki {

  final Path dir;
  final CertificateAuthority ca;
  final IssuedCertificate server;
  final IssuedCertificate client;
  final IssuedCertificate revoked;

  TestPki(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    ca = CertificateAuthority.create("linux-patch-api test CA", Duration.ofDays(30));
    ca.writeTo(dir.resolve("ca.pem"), dir.resolve("ca.key.pem"));
    server = ca.issue(LeafSpec.server("localhost"));
    server.writeTo(dir.resolve("server.pem"), dir.resolve("server.key.pem"));
    client = ca.issue(LeafSpec.client("test-client"));
    revoked = ca.issue(LeafSpec.client("revoked-client"));
    Files.writeString(dir.resolve("crl.pem"), ca.crlPem(List.of(revoked.certificate().getSerialNumber()),
        Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(7))));
  }

  IssuedCertificate client(String commonName) {
    return ca.issue(LeafSpec.client(commonName));
  }

  IssuedCertificate expiredClient() {
    return ca.issue(LeafSpec.client("expired-client")
        .withValidity(Instant.now().minus(Duration.ofDays(10)), Instant.now().minus(Duration.ofDays(1))));
  }

  IssuedCertificate serverAuthOnlyClient() {
    return ca.issue(LeafSpec.client("server-only-client").withPurposes(KeyPurpose.SERVER_AUTH));
  }

  /** A client of another CA that carries the very same CA name: trust must come from the key, not the name. */
  static IssuedCertificate rogueClient() {
    CertificateAuthority rogue = CertificateAuthority.create("linux-patch-api test CA", Duration.ofDays(30));
    return rogue.issue(LeafSpec.client("test-client"));
  }

  /** A client leaf (clientAuth, digitalSignature, not a CA) whose certificate signs itself: no CA at all. */
  static IssuedCertificate selfSignedClient() throws Exception {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    java.security.KeyPair keys = generator.generateKeyPair();
    org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=self-signed-client");
    Instant now = Instant.now();
    var builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name,
        java.math.BigInteger.valueOf(now.toEpochMilli()), java.util.Date.from(now.minus(Duration.ofHours(1))),
        java.util.Date.from(now.plus(Duration.ofDays(30))), name, keys.getPublic());
    builder.addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
        new org.bouncycastle.asn1.x509.BasicConstraints(false));
    builder.addExtension(org.bouncycastle.asn1.x509.Extension.keyUsage, true,
        new org.bouncycastle.asn1.x509.KeyUsage(org.bouncycastle.asn1.x509.KeyUsage.digitalSignature));
    builder.addExtension(org.bouncycastle.asn1.x509.Extension.extendedKeyUsage, false,
        new org.bouncycastle.asn1.x509.ExtendedKeyUsage(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth));
    java.security.cert.X509Certificate certificate = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
        .getCertificate(builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
            .build(keys.getPrivate())));
    return new IssuedCertificate(certificate, keys.getPrivate());
  }

  Path caPem() {
    return dir.resolve("ca.pem");
  }

  Path crlPem() {
    return dir.resolve("crl.pem");
  }
}
