package io.linuxpatch.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Whether a key belongs to a certificate's public key, with and without the public point recorded in the key. */
@Tag("CFG-4")
class KeyMatchTest {

  private final KeyPair mine = ecKeyPair("secp256r1");
  private final KeyPair other = ecKeyPair("secp256r1");

  @Test
  @DisplayName("an EC key that records its public point: compared, match and mismatch")
  void recordedPoint() throws Exception {
    PrivateKey recorded = withRecordedPoint(mine.getPrivate(), mine);
    assertThat(KeyMatch.mismatch(mine.getPublic(), recorded)).isEmpty();
    assertThat(KeyMatch.mismatch(other.getPublic(), recorded))
        .hasValue("the public key recorded in the key differs from the certificate's");
  }

  @Test
  @DisplayName("the recorded point decides, not a signature: a key recording another key's point is refused")
  void recordedPointDecides() throws Exception {
    // mine's private value with other's public point: a signature would verify with mine's public key
    PrivateKey misrecorded = withRecordedPoint(mine.getPrivate(), other);
    assertThat(KeyMatch.mismatch(mine.getPublic(), misrecorded))
        .hasValue("the public key recorded in the key differs from the certificate's");
  }

  @Test
  @DisplayName("an EC key without its public point: proved by a signature round trip, match and mismatch")
  void withoutRecordedPoint() throws Exception {
    PrivateKey bare = withoutRecordedPoint(mine.getPrivate());
    assertThat(KeyMatch.mismatch(mine.getPublic(), bare)).isEmpty();
    assertThat(KeyMatch.mismatch(other.getPublic(), bare))
        .hasValue("a signature made with the key does not verify with the certificate's key");
  }

  @Test
  @DisplayName("a key on another curve is not taken for the certificate's")
  void otherCurve() throws Exception {
    KeyPair k1 = ecKeyPair("secp384r1");
    PrivateKey recorded = withRecordedPoint(k1.getPrivate(), k1);
    assertThat(KeyMatch.mismatch(mine.getPublic(), recorded)).isPresent();
  }

  @Test
  @DisplayName("keys of different algorithms never match")
  void otherAlgorithm() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    assertThat(KeyMatch.mismatch(rsa.generateKeyPair().getPublic(), mine.getPrivate()))
        .hasValue("the key is EC but the certificate's key is RSA");
  }

  private static KeyPair ecKeyPair(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The PKCS #8 key of {@code key}'s private value with {@code pointOf}'s public point recorded, as OpenSSL writes. */
  private static PrivateKey withRecordedPoint(PrivateKey key, KeyPair pointOf) throws Exception {
    return pkcs8(key, new DERBitString(
        SubjectPublicKeyInfo.getInstance(pointOf.getPublic().getEncoded()).getPublicKeyData().getOctets()));
  }

  /** The PKCS #8 key of {@code key}'s private value alone. */
  private static PrivateKey withoutRecordedPoint(PrivateKey key) throws Exception {
    return pkcs8(key, null);
  }

  private static PrivateKey pkcs8(PrivateKey key, DERBitString point) throws Exception {
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
    ECPrivateKey ec = (ECPrivateKey) key;
    org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
        ec.getParams().getOrder().bitLength(), ec.getS(), point, null);
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
        new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), sec1).getEncoded()));
  }
}
