package io.linuxpatch.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("PemFiles")
class PemFilesTest {

  private static final CertificateAuthority CA = CertificateAuthority.create("PEM CA", Duration.ofDays(30));

  @TempDir Path dir;

  @Test
  @DisplayName("a certificate chain round-trips through PEM in file order")
  void certificateRoundTrip() throws Exception {
    IssuedCertificate leaf = CA.issue(LeafSpec.server("srv"));
    Path file = dir.resolve("chain.pem");
    PemFiles.writeAtomically(file, PemFiles.encode(List.of(leaf.certificate(), CA.certificate())),
        PemFiles.CERTIFICATE_PERMISSIONS);
    assertThat(PemFiles.readCertificates(file)).containsExactly(leaf.certificate(), CA.certificate());
  }

  @Test
  @DisplayName("a private key is written as PKCS#8 'BEGIN PRIVATE KEY' and reads back equal")
  void pkcs8RoundTrip() throws Exception {
    IssuedCertificate leaf = CA.issue(LeafSpec.client("c"));
    assertThat(leaf.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    leaf.writeTo(dir.resolve("c.pem"), dir.resolve("c.key.pem"));
    assertThat(PemFiles.readPrivateKey(dir.resolve("c.key.pem"))).isEqualTo(leaf.privateKey());
  }

  @Test
  @DisplayName("traditional 'EC PRIVATE KEY' (even without its optional public key) and 'RSA PRIVATE KEY' files are read too")
  void traditionalKeys() throws Exception {
    IssuedCertificate issued = CA.issue(LeafSpec.client("c"));
    PrivateKey ec = issued.privateKey();
    ASN1BitString publicKey = SubjectPublicKeyInfo.getInstance(issued.certificate().getPublicKey().getEncoded())
        .getPublicKeyData();
    // what `openssl ecparam -genkey` writes, and the same with -no_public
    for (ASN1BitString withOrWithoutPublic : new ASN1BitString[] {publicKey, null}) {
      String ecPem = traditionalEc((ECPrivateKey) ec, withOrWithoutPublic);
      assertThat(ecPem).startsWith("-----BEGIN EC PRIVATE KEY-----");
      Files.writeString(dir.resolve("ec.pem"), ecPem);
      PrivateKey read = PemFiles.readPrivateKey(dir.resolve("ec.pem"));
      assertThat(((ECPrivateKey) read).getS()).isEqualTo(((ECPrivateKey) ec).getS());
      assertThat(KeyMatch.mismatch(issued.certificate().getPublicKey(), read)).isEmpty();
    }

    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair pair = rsa.generateKeyPair();
    String rsaPem = traditional(pair.getPrivate());
    assertThat(rsaPem).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    Files.writeString(dir.resolve("rsa.pem"), rsaPem);
    assertThat(PemFiles.readPrivateKey(dir.resolve("rsa.pem"))).isEqualTo(pair.getPrivate());
  }

  @Test
  @DisplayName("a CRL is read from PEM and from DER")
  void crlPemAndDer() throws Exception {
    Instant now = Instant.now();
    X509CRL crl = CA.crl(List.of(), now, now.plus(Duration.ofDays(1)));
    Files.writeString(dir.resolve("crl.pem"), PemFiles.encode(crl));
    Files.write(dir.resolve("crl.der"), crl.getEncoded());
    assertThat(PemFiles.readCrl(dir.resolve("crl.pem"))).isEqualTo(crl);
    assertThat(PemFiles.readCrl(dir.resolve("crl.der"))).isEqualTo(crl);
  }

  @Test
  @DisplayName("garbage base64, an empty file, DER and a key file are refused with a reason, not a crash")
  void malformedInput() throws Exception {
    Files.writeString(dir.resolve("garbage.pem"),
        "-----BEGIN CERTIFICATE-----\n!!!not*base64!!!\n-----END CERTIFICATE-----\n");
    Files.write(dir.resolve("empty.pem"), new byte[0]);
    Files.write(dir.resolve("der.pem"), CA.certificate().getEncoded());
    Files.writeString(dir.resolve("key.pem"), CA.issue(LeafSpec.client("k")).privateKeyPem());

    assertThatThrownBy(() -> PemFiles.readCertificates(dir.resolve("garbage.pem")))
        .isInstanceOf(PemFormatException.class).hasMessageContaining("not valid PEM");
    assertThatThrownBy(() -> PemFiles.readCertificates(dir.resolve("empty.pem")))
        .isInstanceOf(PemFormatException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> PemFiles.readCertificates(dir.resolve("der.pem")))
        .isInstanceOf(PemFormatException.class).hasMessageContaining("DER");
    assertThatThrownBy(() -> PemFiles.readCertificates(dir.resolve("key.pem")))
        .isInstanceOf(PemFormatException.class).hasMessageContaining("holds a private key");
    assertThatThrownBy(() -> PemFiles.readPrivateKey(dir.resolve("garbage.pem")))
        .isInstanceOf(PemFormatException.class);
    assertThatThrownBy(() -> PemFiles.readCrl(dir.resolve("key.pem")))
        .isInstanceOf(PemFormatException.class);
  }

  @Test
  @DisplayName("a passphrase-protected key is refused with advice, since the agent cannot prompt")
  void encryptedKey() throws Exception {
    OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
        .setProvider(new BouncyCastleProvider()).setPassword("secret".toCharArray()).build();
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(new JcaPKCS8Generator(CA.privateKey(), encryptor));
    }
    assertThatThrownBy(() -> PemFiles.parsePrivateKey(text.toString().getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(PemFormatException.class).hasMessageContaining("encrypted");
  }

  @Test
  @DisplayName("writeTo leaves the key at 0600 and the certificate at 0644, creating missing directories 0700")
  void permissions() throws Exception {
    Path certs = dir.resolve("new/certs");
    CA.issue(LeafSpec.client("p")).writeTo(certs.resolve("p.pem"), certs.resolve("p.key.pem"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.resolve("p.key.pem"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.resolve("p.pem"))))
        .isEqualTo("rw-r--r--");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certs))).isEqualTo("rwx------");
  }

  @Test
  @DisplayName("an atomic write replaces the file, tightens its mode and leaves no temporary file behind")
  void atomicReplace() throws Exception {
    Path file = dir.resolve("server.key.pem");
    Files.writeString(file, "old");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    PemFiles.writeAtomically(file, "new", PemFiles.KEY_PERMISSIONS);
    assertThat(Files.readString(file)).isEqualTo("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  @DisplayName("encode refuses objects that have no PEM form")
  void encodeRefusesUnknown() {
    assertThatThrownBy(() -> PemFiles.encode("text")).isInstanceOf(IllegalArgumentException.class);
  }

  private static String traditionalEc(ECPrivateKey key, ASN1BitString publicKey) throws Exception {
    var structure = new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(), publicKey,
        new X962Parameters(SECObjectIdentifiers.secp256r1));
    StringWriter text = new StringWriter();
    try (PemWriter writer = new PemWriter(text)) {
      writer.writeObject(new PemObject("EC PRIVATE KEY", structure.getEncoded()));
    }
    return text.toString();
  }

  private static String traditional(PrivateKey key) throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(key);
    }
    return text.toString();
  }
}
