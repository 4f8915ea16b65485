package io.linuxpatch.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority in memory (ECDSA P-256, SHA256withECDSA): creates itself or loads from PEM,
 * issues leaf certificates with fresh keys, and signs CRLs. Used by developer mode (OPS-3) and by tests
 * that need good and deliberately bad certificates.
 */
public final class CertificateAuthority {

  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey privateKey;

  private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = certificate;
    this.privateKey = privateKey;
  }

  /**
   * A new self-signed CA, valid from an hour ago (clock skew) until {@code validity} from now, with
   * critical basicConstraints CA:true and critical keyUsage keyCertSign|cRLSign.
   */
  public static CertificateAuthority create(String commonName, Duration validity) {
    Objects.requireNonNull(validity, "validity");
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("a CA needs a positive validity, got " + validity);
    }
    KeyPair keys = newKeyPair();
    X500Name subject = commonNameOnly(commonName);
    Instant now = Instant.now();
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, newSerial(),
          Date.from(now.minus(LeafSpec.CLOCK_SKEW)), Date.from(now.plus(validity)), subject, keys.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          extensions.createSubjectKeyIdentifier(keys.getPublic()));
      return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate());
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("building the CA certificate failed", e);
    }
  }

  /**
   * Loads a CA from its PEM certificate (the first one in the file) and private key.
   *
   * @throws PemFormatException when the files are not PEM, the certificate is not a CA or the key is not its key
   */
  public static CertificateAuthority load(Path caCertPem, Path caKeyPem) throws IOException {
    X509Certificate certificate = PemFiles.readCertificates(caCertPem).get(0);
    PrivateKey key = PemFiles.readPrivateKey(caKeyPem);
    if (certificate.getBasicConstraints() < 0) {
      throw new PemFormatException(caCertPem + " is not a CA certificate (basicConstraints CA:true is missing)");
    }
    var mismatch = KeyMatch.mismatch(certificate.getPublicKey(), key);
    if (mismatch.isPresent()) {
      throw new PemFormatException(caKeyPem + " is not the key of " + caCertPem + ": " + mismatch.get());
    }
    return new CertificateAuthority(certificate, key);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  /**
   * Issues a leaf certificate with a new P-256 key: random positive 128-bit serial, critical
   * basicConstraints CA:false, critical keyUsage digitalSignature, the EKUs of {@code spec.purposes()},
   * its SANs, and subject/authority key identifiers.
   */
  public IssuedCertificate issue(LeafSpec spec) {
    KeyPair keys = newKeyPair();
    return new IssuedCertificate(certify(spec, keys.getPublic()), keys.getPrivate());
  }

  /**
   * Certifies a public key someone else generated and keeps (a fleet manager answering a CSR, ENR): the same
   * certificate {@link #issue} would make, for {@code subjectKey}.
   */
  public X509Certificate certify(LeafSpec spec, PublicKey subjectKey) {
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, newSerial(),
          Date.from(spec.notBefore()), Date.from(spec.notAfter()), commonNameOnly(spec.commonName()),
          subjectKey);
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      if (!spec.purposes().isEmpty()) {
        // sorted so that the same spec always yields the same extension bytes
        KeyPurposeId[] purposes = spec.purposes().stream().sorted().map(KeyPurpose::oid)
            .toArray(KeyPurposeId[]::new);
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
      }
      List<GeneralName> names = new ArrayList<>();
      spec.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
      spec.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
      if (!names.isEmpty()) {
        builder.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(names.toArray(GeneralName[]::new)));
      }
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          extensions.createSubjectKeyIdentifier(subjectKey));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          extensions.createAuthorityKeyIdentifier(certificate));
      return sign(builder, privateKey);
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("issuing a certificate for " + spec.commonName() + " failed", e);
    }
  }

  /**
   * A PEM X.509 v2 CRL signed by this CA listing {@code revokedSerials} (revoked at {@code thisUpdate}),
   * with a CRL number and the authority key identifier.
   */
  public String crlPem(Collection<BigInteger> revokedSerials, Instant thisUpdate, Instant nextUpdate) {
    return PemFiles.encode(crl(revokedSerials, thisUpdate, nextUpdate));
  }

  /** The same CRL as {@link #crlPem}, as an object. */
  public X509CRL crl(Collection<BigInteger> revokedSerials, Instant thisUpdate, Instant nextUpdate) {
    if (!nextUpdate.isAfter(thisUpdate)) {
      throw new IllegalArgumentException("nextUpdate " + nextUpdate + " must be after thisUpdate " + thisUpdate);
    }
    try {
      X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(certificate, Date.from(thisUpdate));
      builder.setNextUpdate(Date.from(nextUpdate));
      for (BigInteger serial : revokedSerials) {
        // no reason code: RFC 5280 says to omit it rather than write "unspecified"
        builder.addCRLEntry(serial, Date.from(thisUpdate), null);
      }
      // The CRL number must grow with every CRL; thisUpdate in milliseconds does so without keeping state.
      builder.addExtension(Extension.cRLNumber, false,
          new CRLNumber(BigInteger.valueOf(thisUpdate.toEpochMilli())));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
      return new JcaX509CRLConverter().getCRL(builder.build(signer(privateKey)));
    } catch (CertIOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("signing the CRL failed", e);
    }
  }

  /** Writes the CA certificate (mode 0644) and its key (mode 0600), each atomically. */
  public void writeTo(Path certPem, Path keyPem) throws IOException {
    new IssuedCertificate(certificate, privateKey).writeTo(certPem, keyPem);
  }

  /** The public half, for callers that only need to verify. */
  public PublicKey publicKey() {
    return certificate.getPublicKey();
  }

  @Override
  public String toString() {
    return "CertificateAuthority[" + certificate.getSubjectX500Principal().getName() + "]";
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer(key)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("no " + SIGNATURE_ALGORITHM + " signer", e);
    }
  }

  private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
    return new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key);
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot generate P-256 keys", e);
    }
  }

  /** Positive and exactly 128 bits long: the top bit is fixed so the serial never shrinks or hits zero. */
  private static BigInteger newSerial() {
    return new BigInteger(127, RANDOM).setBit(127);
  }

  /** Built attribute by attribute, so a CN containing a comma cannot smuggle in other RDNs. */
  private static X500Name commonNameOnly(String commonName) {
    if (commonName == null || commonName.isBlank()) {
      throw new IllegalArgumentException("a certificate needs a non-blank common name");
    }
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }
}
