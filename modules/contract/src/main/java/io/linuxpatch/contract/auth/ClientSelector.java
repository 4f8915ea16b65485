package io.linuxpatch.contract.auth;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Which client certificates one rule of {@code authorization.clients} names (SEC-6): a whole certificate by
 * its SHA-256 fingerprint ({@code sha256:…}) or serial ({@code serial:…}), or every certificate whose subject
 * CN matches a glob. The exact kinds name one certificate; a glob trusts every certificate the CA ever signed,
 * or will sign, with a matching name.
 */
public sealed interface ClientSelector {

  /** Prefix of a rule that names a certificate by its SHA-256 fingerprint. */
  String SHA256_PREFIX = "sha256:";
  /** Prefix of a rule that names a certificate by its serial number. */
  String SERIAL_PREFIX = "serial:";

  /** Whether {@code client} is a certificate this selector names. */
  boolean matches(ClientIdentity client);

  /** True for a selector that names one certificate (fingerprint, serial), false for a CN glob. */
  boolean exact();

  /** The key as the configuration spells it, normalised ({@code sha256:<64 lower-case hex>}, …). */
  String key();

  /** One certificate by the SHA-256 of its DER encoding, 64 lower-case hex digits. */
  record Fingerprint(String sha256) implements ClientSelector {
    @Override
    public boolean matches(ClientIdentity client) {
      return client != null && sha256.equals(client.fingerprint());
    }

    @Override
    public boolean exact() {
      return true;
    }

    @Override
    public String key() {
      return SHA256_PREFIX + sha256;
    }
  }

  /**
   * One certificate by its serial number, lower-case hex without leading zeros (as {@link ClientIdentity}
   * holds it). A CA gives each certificate it signs its own serial; the agent trusts one CA ({@code tls.ca_cert}).
   */
  record Serial(String hex) implements ClientSelector {
    @Override
    public boolean matches(ClientIdentity client) {
      return client != null && hex.equals(client.serial());
    }

    @Override
    public boolean exact() {
      return true;
    }

    @Override
    public String key() {
      return SERIAL_PREFIX + hex;
    }
  }

  /** Every certificate whose subject CN matches {@code glob}: {@code *} any run, {@code ?} one character. */
  record CommonNameGlob(String glob) implements ClientSelector {
    @Override
    public boolean matches(ClientIdentity client) {
      return client != null && client.commonName() != null && globMatches(glob, client.commonName());
    }

    @Override
    public boolean exact() {
      return false;
    }

    @Override
    public String key() {
      return glob;
    }

    /** Glob match with {@code *} (any run) and {@code ?} (one character); everything else literal. */
    static boolean globMatches(String glob, String text) {
      int g = 0;
      int t = 0;
      int star = -1;
      int mark = 0;
      while (t < text.length()) {
        if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == text.charAt(t))) {
          g++;
          t++;
        } else if (g < glob.length() && glob.charAt(g) == '*') {
          star = g++;
          mark = t;
        } else if (star >= 0) {
          g = star + 1;
          t = ++mark;
        } else {
          return false;
        }
      }
      while (g < glob.length() && glob.charAt(g) == '*') {
        g++;
      }
      return g == glob.length();
    }
  }

  /** A key of {@code authorization.clients} that names no certificate, with the reason in the operator's terms. */
  final class Invalid extends Exception {
    public Invalid(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Reads a key of {@code authorization.clients}. Fingerprints and serials are accepted as {@code openssl x509
   * -noout -fingerprint -sha256} and {@code -serial} print them: hex in either case, with or without colons.
   * A key with either prefix is never a CN glob.
   */
  static ClientSelector parse(String key) throws Invalid {
    if (key == null || key.isBlank()) {
      throw new Invalid("a CN glob must not be empty");
    }
    String lower = key.toLowerCase(Locale.ROOT);
    if (lower.startsWith(SHA256_PREFIX)) {
      String hex = lower.substring(SHA256_PREFIX.length()).replace(":", "");
      if (hex.length() != 64 || !isHex(hex)) {
        throw new Invalid("a SHA-256 fingerprint is 64 hex digits (colons allowed), as openssl x509 -noout "
            + "-fingerprint -sha256 prints it");
      }
      return new Fingerprint(hex);
    }
    if (lower.startsWith(SERIAL_PREFIX)) {
      String hex = lower.substring(SERIAL_PREFIX.length()).replace(":", "");
      if (hex.isEmpty() || hex.length() > 64 || !isHex(hex)) {
        throw new Invalid("a serial is hex digits (colons allowed), as openssl x509 -noout -serial prints it");
      }
      return new Serial(new BigInteger(hex, 16).toString(16));
    }
    return new CommonNameGlob(key);
  }

  private static boolean isHex(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (!HexFormat.isHexDigit(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
