package io.linuxpatch.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Decides whether a private key belongs to a public key (a certificate's). Where the key carries its public half, it
 * is compared: an RSA key's modulus and exponent, an EC key's public point as its file records it (OpenSSL, the
 * agent's own CA and most tools write it beside the private value). That is free and gives the clearer message. Only
 * a key without it is proved by a sign/verify round trip, the proof a TLS handshake needs anyway: as the first
 * elliptic-curve arithmetic of the process, interpreted, that round trip was the largest single item of the start-up's
 * sampled CPU (a seventh, issue 16, JFR), on the path to the first answer. An EC public key is not derived from the
 * private one either: a scalar multiplication as costly, and no more telling.
 */
public final class KeyMatch {

  private static final byte[] PROBE = "linux-patch-api key match".getBytes(StandardCharsets.US_ASCII);

  private KeyMatch() {}

  /** Why {@code privateKey} does not belong to {@code publicKey}, or empty when it does. */
  public static Optional<String> mismatch(PublicKey publicKey, PrivateKey privateKey) {
    if (!publicKey.getAlgorithm().equals(privateKey.getAlgorithm())) {
      return Optional.of("the key is " + privateKey.getAlgorithm() + " but the certificate's key is "
          + publicKey.getAlgorithm());
    }
    Optional<Boolean> samePublicKey = derivedPublicKeyMatches(publicKey, privateKey);
    if (samePublicKey.isPresent() && !samePublicKey.get()) {
      return Optional.of("the public key derived from the key differs from the certificate's");
    }
    Optional<Boolean> sameRecordedPoint = recordedEcPointMatches(publicKey, privateKey);
    if (sameRecordedPoint.isPresent()) {
      return sameRecordedPoint.get() ? Optional.empty()
          : Optional.of("the public key recorded in the key differs from the certificate's");
    }
    String algorithm = signatureAlgorithm(publicKey);
    if (algorithm == null) {
      // no way to prove it for an unusual algorithm; the derived comparison above is all we have
      return samePublicKey.isPresent() ? Optional.empty()
          : Optional.of("keys of type " + publicKey.getAlgorithm() + " cannot be checked");
    }
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(PROBE);
      return verifier.verify(signature) ? Optional.empty()
          : Optional.of("a signature made with the key does not verify with the certificate's key");
    } catch (GeneralSecurityException | RuntimeException e) {
      return Optional.of("a test signature with the key failed (" + e.getMessage() + ")");
    }
  }

  private static Optional<Boolean> derivedPublicKeyMatches(PublicKey publicKey, PrivateKey privateKey) {
    if (publicKey instanceof RSAPublicKey rsa && privateKey instanceof RSAPrivateCrtKey crt) {
      return Optional.of(rsa.getModulus().equals(crt.getModulus())
          && rsa.getPublicExponent().equals(crt.getPublicExponent()));
    }
    return Optional.empty();
  }

  /**
   * Whether an EC key's recorded public point and curve are the certificate's, or empty when the key does not record
   * them (a key made without its public half, or an encoding this cannot read): then the round trip decides.
   */
  private static Optional<Boolean> recordedEcPointMatches(PublicKey publicKey, PrivateKey privateKey) {
    if (!"EC".equals(privateKey.getAlgorithm()) || privateKey.getEncoded() == null || publicKey.getEncoded() == null) {
      return Optional.empty();
    }
    try {
      PrivateKeyInfo key = PrivateKeyInfo.getInstance(privateKey.getEncoded());
      ASN1BitString recorded = ECPrivateKey.getInstance(key.parsePrivateKey()).getPublicKey();
      SubjectPublicKeyInfo certificate = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
      ASN1Encodable keyCurve = key.getPrivateKeyAlgorithm().getParameters();
      if (recorded == null || keyCurve == null || !keyCurve.equals(certificate.getAlgorithm().getParameters())) {
        return Optional.empty();
      }
      return Optional.of(Arrays.equals(recorded.getOctets(), certificate.getPublicKeyData().getOctets()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String signatureAlgorithm(PublicKey key) {
    return switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
      default -> null;
    };
  }
}
