package io.linuxpatch.audit.seal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sealing key of one epoch (AUD-5), evolved one way: {@code k(i+1) = HMAC-SHA256(k(i), "next")}. Whoever
 * holds {@code k(i)} can compute every later key but no earlier one, so a key stolen today cannot forge the
 * checkpoints of past epochs. A checkpoint's MAC is {@code HMAC-SHA256(HMAC-SHA256(k(i), "mac"), message)}:
 * the key that seals is never the key that evolves.
 *
 * <p>{@link #erase()} overwrites the key bytes; the JVM and {@link SecretKeySpec} make copies of their own, so
 * erasure is best effort (the module README says so).
 */
public final class SealKey {

  private static final String HMAC = "HmacSHA256";
  private static final byte[] NEXT = "next".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MAC = "mac".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEY_ID = "key id".getBytes(StandardCharsets.US_ASCII);

  private final long epoch;
  private final byte[] key;

  private SealKey(long epoch, byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("a sealing key has 32 bytes, got " + key.length);
    }
    this.epoch = epoch;
    this.key = key.clone();
  }

  /** The key of {@code epoch}, from its 32 bytes (copied). */
  public static SealKey of(long epoch, byte[] key) {
    return new SealKey(epoch, key);
  }

  public long epoch() {
    return epoch;
  }

  /** The key of the next epoch; this one is left as it is (the caller erases it once the step is stored). */
  public SealKey next() {
    byte[] stepped = hmac(key, NEXT);
    try {
      return new SealKey(epoch + 1, stepped);
    } finally {
      Arrays.fill(stepped, (byte) 0);
    }
  }

  /** The key of a later epoch, stepping forward from this one (for the verifier, which starts at epoch 0). */
  public SealKey forwardTo(long target) {
    if (target < epoch) {
      throw new IllegalArgumentException("a sealing key cannot go back from epoch " + epoch + " to " + target);
    }
    SealKey current = this;
    while (current.epoch < target) {
      SealKey stepped = current.next();
      if (current != this) {
        current.erase();
      }
      current = stepped;
    }
    return current;
  }

  /** The checkpoint MAC of {@code message} under this epoch's key, lowercase hex. */
  public String mac(byte[] message) {
    byte[] macKey = hmac(key, MAC);
    try {
      return HexFormat.of().formatHex(hmac(macKey, message));
    } finally {
      Arrays.fill(macKey, (byte) 0);
    }
  }

  /**
   * The public name of an initial key {@code k0}: 16 hex digits of {@code HMAC(k0, "key id")}; it tells which
   * key sealed a log without revealing anything about the key.
   */
  public String keyId() {
    return HexFormat.of().formatHex(Arrays.copyOf(hmac(key, KEY_ID), 8));
  }

  /** A copy of the key bytes, to be stored. */
  public byte[] bytes() {
    return key.clone();
  }

  /** Overwrites the key bytes (best effort: see the class comment). */
  public void erase() {
    Arrays.fill(key, (byte) 0);
  }

  private static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(message);
    } catch (GeneralSecurityException impossible) {
      // Every Java SE runtime must provide HmacSHA256.
      throw new IllegalStateException(impossible);
    }
  }
}
