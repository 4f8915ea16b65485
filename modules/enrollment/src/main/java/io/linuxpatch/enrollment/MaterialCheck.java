package io.linuxpatch.enrollment;

import io.linuxpatch.pki.KeyMatch;
import io.linuxpatch.pki.PemFiles;
import io.linuxpatch.pki.PemFormatException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Checks what an approving manager sent before anything on disk changes (ENR): the PEM parses, the certificate
 * (and the CA) are inside their validity, the certificate is for the key that will be installed — the agent's own
 * key from the CSR, or, from a manager of the original protocol, the {@code server_key} it sent, which must then
 * match — it chains to {@code ca_crt}, and it carries both serverAuth (the API) and clientAuth (the clustered
 * event bus, and the next renewal). Messages never quote key material.
 */
public final class MaterialCheck {

  static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final int MAX_CHAIN_DEPTH = 8;

  /**
   * The checked material, ready to install.
   *
   * @param chain     server_crt, leaf first
   * @param ca        the certificates of ca_crt
   * @param key       the key to install
   * @param keySource "agent" or "manager"
   * @param managerIp the manager's address
   */
  public record Checked(List<X509Certificate> chain, List<X509Certificate> ca, PrivateKey key, String keySource,
      String managerIp) {

    public Checked {
      chain = List.copyOf(chain);
      ca = List.copyOf(ca);
    }

    public X509Certificate leaf() {
      return chain.get(0);
    }

    public String serialHex() {
      return leaf().getSerialNumber().toString(16);
    }

    @Override
    public String toString() {
      return "Checked[" + leaf().getSubjectX500Principal().getName() + ", serial " + serialHex() + ", key from "
          + keySource + "]";
    }
  }

  private MaterialCheck() {}

  /**
   * Checks {@code material} at {@code now}.
   *
   * @param ownKey the key whose CSR the manager answered, or null when none is known (then the manager must send one)
   * @throws MaterialRejected naming the first check that failed
   */
  public static Checked check(ApprovedMaterial material, PrivateKey ownKey, Instant now) throws MaterialRejected {
    List<X509Certificate> ca = certificates(material.caPem(), "ca_crt");
    List<X509Certificate> chain = certificates(material.certPem(), "server_crt");
    PrivateKey key;
    String source;
    if (material.keyFromManager()) {
      try {
        key = PemFiles.parsePrivateKey(material.keyPem().getBytes(StandardCharsets.US_ASCII));
      } catch (PemFormatException e) {
        throw new MaterialRejected("the manager's server_key is not a usable private key: " + e.getMessage());
      }
      source = "manager";
    } else if (ownKey != null) {
      key = ownKey;
      source = "agent";
    } else {
      throw new MaterialRejected("the manager sent no server_key and the key of this enrollment's request is gone "
          + "from data_dir; enroll again");
    }
    X509Certificate leaf = chain.get(0);
    for (X509Certificate c : ca) {
      requireValid(c, "the CA " + c.getSubjectX500Principal().getName() + " in ca_crt", now);
    }
    requireValid(leaf, "server_crt", now);
    Optional<String> mismatch = KeyMatch.mismatch(leaf.getPublicKey(), key);
    if (mismatch.isPresent()) {
      throw new MaterialRejected(material.keyFromManager()
          ? "the manager's server_key does not match its server_crt (" + mismatch.get() + ")"
          : "server_crt is not a certificate for the key this agent generated and sent in its request ("
              + mismatch.get() + ")");
    }
    if (!chainsTo(chain, ca)) {
      throw new MaterialRejected("server_crt (issued by " + leaf.getIssuerX500Principal().getName()
          + ") does not chain to the CA in ca_crt (" + ca.get(0).getSubjectX500Principal().getName() + ")");
    }
    requirePurposes(leaf);
    return new Checked(chain, ca, key, source, material.managerIp());
  }

  private static List<X509Certificate> certificates(String pem, String field) throws MaterialRejected {
    try {
      return PemFiles.parseCertificates(pem.getBytes(StandardCharsets.US_ASCII));
    } catch (PemFormatException e) {
      throw new MaterialRejected("the manager's " + field + " is not a usable PEM certificate: " + e.getMessage());
    }
  }

  private static void requireValid(X509Certificate c, String what, Instant now) throws MaterialRejected {
    Instant notBefore = c.getNotBefore().toInstant();
    Instant notAfter = c.getNotAfter().toInstant();
    if (now.isAfter(notAfter)) {
      throw new MaterialRejected(what + " expired on " + notAfter.truncatedTo(ChronoUnit.SECONDS));
    }
    if (now.isBefore(notBefore)) {
      throw new MaterialRejected(what + " is not valid until " + notBefore.truncatedTo(ChronoUnit.SECONDS)
          + " (check this host's clock)");
    }
  }

  private static boolean chainsTo(List<X509Certificate> chain, List<X509Certificate> anchors) {
    X509Certificate current = chain.get(0);
    for (int depth = 0; depth < MAX_CHAIN_DEPTH; depth++) {
      for (X509Certificate anchor : anchors) {
        if (issuedBy(current, anchor)) {
          return true;
        }
      }
      X509Certificate child = current;
      Optional<X509Certificate> parent = chain.stream().filter(c -> c != child && issuedBy(child, c)).findFirst();
      if (parent.isEmpty()) {
        return false;
      }
      current = parent.get();
    }
    return false;
  }

  private static boolean issuedBy(X509Certificate child, X509Certificate issuer) {
    if (!child.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      return false;
    }
    try {
      child.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static void requirePurposes(X509Certificate leaf) throws MaterialRejected {
    List<String> purposes;
    try {
      purposes = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new MaterialRejected("server_crt has an unreadable extendedKeyUsage: " + e.getMessage());
    }
    if (purposes == null || !purposes.contains(SERVER_AUTH) || !purposes.contains(CLIENT_AUTH)) {
      throw new MaterialRejected("server_crt must carry the extended key usages serverAuth and clientAuth (the API "
          + "and the next renewal need both), it has " + (purposes == null ? "none" : describe(purposes)));
    }
  }

  private static String describe(List<String> purposes) {
    return String.join(", ", purposes.stream().map(p -> switch (p) {
      case SERVER_AUTH -> "serverAuth";
      case CLIENT_AUTH -> "clientAuth";
      default -> p;
    }).toList());
  }
}
