package io.linuxpatch.pki;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Optional;

/**
 * Decides whether a private key belongs to a public key (a certificate's): an RSA key's modulus and exponent are
 * compared first (free, and the clearer message), then every key is proved by a sign/verify round trip, the proof a
 * TLS handshake needs anyway. An EC public key is not derived from the private one as well: that scalar
 * multiplication told nothing the round trip does not, and made the key check a sixth of the start-up's sampled
 * CPU (issue 16, JFR).
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

  private static String signatureAlgorithm(PublicKey key) {
    return switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
      default -> null;
    };
  }
}
