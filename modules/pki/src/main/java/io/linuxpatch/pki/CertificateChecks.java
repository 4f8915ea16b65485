package io.linuxpatch.pki;

import io.linuxpatch.contract.config.TlsConfig;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The start-up certificate checks of CFG-4, in the SPEC's order: files exist, PEM parses, not expired,
 * key matches certificate, certificate chains to the CA, expiring soon (warning); then the CRL when one
 * is configured. Each step runs for every file before the next step starts, a file that failed one
 * step is not checked further (no cascade of meaningless findings), and nothing here throws on bad
 * input: every problem becomes a finding.
 */
public final class CertificateChecks {

  static final String CA_CERT = "tls.ca_cert";
  static final String SERVER_CERT = "tls.server_cert";
  static final String SERVER_KEY = "tls.server_key";
  static final String CRL_PATH = "tls.crl_path";

  private static final String RENEW = "renew it (linux-patch-api --renew-certs when enrollment is configured)";
  /** A chain longer than this is a loop or a mistake, not a PKI. */
  private static final int MAX_CHAIN_DEPTH = 8;

  private final Instant now;
  private final int renewalThresholdDays;
  private final List<CertificateFinding> findings = new ArrayList<>();
  /** Config keys that already have an ERROR: later steps skip them. */
  private final Set<String> failed = new HashSet<>();

  private List<X509Certificate> caCertificates = List.of();
  private List<X509Certificate> serverChain = List.of();
  private PrivateKey serverKey;
  private X509CRL crl;
  private X509Certificate anchor;

  private CertificateChecks(Instant now, int renewalThresholdDays) {
    this.now = now;
    this.renewalThresholdDays = renewalThresholdDays;
  }

  /**
   * Runs every check against the files named in {@code tls}, reading each file exactly once.
   *
   * @param now                  the instant validity is judged at
   * @param renewalThresholdDays certificates expiring within this many days get a WARNING
   */
  public static CertificateReport check(TlsConfig tls, Instant now, int renewalThresholdDays) {
    return new CertificateChecks(now, renewalThresholdDays).run(tls);
  }

  private CertificateReport run(TlsConfig tls) {
    TlsFile ca = TlsFile.read(CA_CERT, tls.caCert(), "the CA certificate that client certificates must chain to",
        "run `linux-patch-api dev` for a development setup or point tls.ca_cert at the CA that issues your "
            + "client certificates");
    TlsFile cert = TlsFile.read(SERVER_CERT, tls.serverCert(), "the agent's certificate",
        "run `linux-patch-api dev` for a development setup or point tls.server_cert at the agent's certificate");
    TlsFile key = TlsFile.read(SERVER_KEY, tls.serverKey(), "the agent's private key",
        "run `linux-patch-api dev` for a development setup or point tls.server_key at the key issued with "
            + "tls.server_cert");
    TlsFile crlFile = null;
    try {
      for (TlsFile file : List.of(ca, cert, key)) {
        if (!file.readable()) {
          fail(file.problem());
        }
      }
      parse(ca, cert, key);
      checkValidity(ca, cert);
      checkKeyMatch(cert, key);
      checkChain(ca, cert);
      warnExpiring();
      if (tls.crlPath() != null && !tls.crlPath().isBlank()) {
        crlFile = TlsFile.read(CRL_PATH, tls.crlPath(), "the CA's current CRL",
            "put the CA's current CRL there, or unset tls.crl_path to run without revocation checks");
        checkCrl(ca, crlFile);
      }
    } catch (RuntimeException e) {
      // every step handles bad input itself; this is the promise "never throws" for whatever was missed
      findings.add(CertificateFinding.error("tls", "the certificate checks failed unexpectedly (" + e
          + "); report this as a bug"));
    }
    Long serverDaysLeft = serverChain.isEmpty() ? null : daysUntil(serverChain.get(0).getNotAfter().toInstant());
    X509Certificate ca0 = anchor != null ? anchor : caCertificates.isEmpty() ? null : caCertificates.get(0);
    Long caDaysLeft = ca0 == null ? null : daysUntil(ca0.getNotAfter().toInstant());
    return new CertificateReport(findings, serverChain, caCertificates, serverKey, crl, serverDaysLeft,
        caDaysLeft, ca.bytes(), cert.bytes(), key.bytes(), crlFile == null ? null : crlFile.bytes());
  }

  // --- step 2: PEM parses ---------------------------------------------------------------------------

  private void parse(TlsFile ca, TlsFile cert, TlsFile key) {
    if (ok(ca)) {
      try {
        caCertificates = PemFiles.parseCertificates(ca.bytes());
      } catch (PemFormatException e) {
        fail(CertificateFinding.error(CA_CERT, ca.path() + " is not a usable CA certificate: " + e.getMessage()
            + "; point tls.ca_cert at the PEM certificate of the CA that issues client certificates"));
      }
    }
    if (ok(cert)) {
      try {
        serverChain = PemFiles.parseCertificates(cert.bytes());
      } catch (PemFormatException e) {
        fail(CertificateFinding.error(SERVER_CERT, cert.path() + " is not a usable certificate: " + e.getMessage()
            + "; point tls.server_cert at the agent's PEM certificate"));
      }
    }
    if (ok(key)) {
      try {
        serverKey = PemFiles.parsePrivateKey(key.bytes());
      } catch (PemFormatException e) {
        fail(CertificateFinding.error(SERVER_KEY, key.path() + " is not a usable private key: " + e.getMessage()
            + "; point tls.server_key at the PEM key issued with tls.server_cert"));
      }
    }
  }

  // --- step 3: not expired, not yet valid -----------------------------------------------------------

  private void checkValidity(TlsFile ca, TlsFile cert) {
    if (ok(ca)) {
      List<X509Certificate> outside = caCertificates.stream().filter(c -> !withinValidity(c)).toList();
      if (outside.size() == caCertificates.size()) {
        fail(CertificateFinding.error(CA_CERT, "the CA certificate " + ca.path() + " (" + subject(outside.get(0))
            + ") " + validityProblem(outside.get(0)) + "; no client certificate can be accepted until the CA is "
            + "replaced: point tls.ca_cert at a current CA certificate"));
      } else {
        // a bundle being rotated may keep an old CA for a while; it is useless but not harmful
        for (X509Certificate old : outside) {
          findings.add(CertificateFinding.warning(CA_CERT, ca.path() + " holds the CA certificate " + subject(old)
              + " that " + validityProblem(old) + "; remove it from the bundle"));
        }
      }
    }
    if (ok(cert)) {
      for (X509Certificate c : serverChain) {
        if (!withinValidity(c)) {
          String which = c == serverChain.get(0) ? cert.path().toString()
              : "the intermediate " + subject(c) + " in " + cert.path();
          String advice = c.getNotAfter().toInstant().isBefore(now) ? RENEW
              : "check the host clock, or wait until it becomes valid";
          fail(CertificateFinding.error(SERVER_CERT, which + " " + validityProblem(c) + "; " + advice));
          break;
        }
      }
    }
  }

  // --- step 4: key matches certificate --------------------------------------------------------------

  private void checkKeyMatch(TlsFile cert, TlsFile key) {
    if (serverChain.isEmpty() || serverKey == null || failed.contains(SERVER_KEY)) {
      return;
    }
    Optional<String> mismatch = KeyMatch.mismatch(serverChain.get(0).getPublicKey(), serverKey);
    mismatch.ifPresent(why -> fail(CertificateFinding.error(SERVER_KEY, "the key " + key.path()
        + " does not match the certificate " + cert.path() + " (" + why + "); install the key that was issued "
        + "with it")));
  }

  // --- step 5: certificate chains to the CA ---------------------------------------------------------

  private void checkChain(TlsFile ca, TlsFile cert) {
    if (!ok(cert) || !ok(ca)) {
      return;
    }
    List<X509Certificate> current = caCertificates.stream().filter(this::withinValidity).toList();
    Optional<X509Certificate> found = chainAnchor(current);
    if (found.isPresent()) {
      anchor = found.get();
      return;
    }
    Optional<X509Certificate> expired = chainAnchor(caCertificates);
    if (expired.isPresent()) {
      fail(CertificateFinding.error(SERVER_CERT, cert.path() + " is issued by the CA " + subject(expired.get())
          + " in " + ca.path() + ", which " + validityProblem(expired.get()) + "; renew the CA and re-issue the "
          + "agent's certificate from it"));
      return;
    }
    fail(CertificateFinding.error(SERVER_CERT, chainProblem(ca, cert)));
  }

  /** Walks from the leaf through the intermediates in the server file up to one of {@code anchors}. */
  private Optional<X509Certificate> chainAnchor(List<X509Certificate> anchors) {
    X509Certificate current = serverChain.get(0);
    for (int depth = 0; depth < MAX_CHAIN_DEPTH; depth++) {
      for (X509Certificate ca : anchors) {
        if (issuedBy(current, ca)) {
          return Optional.of(ca);
        }
      }
      X509Certificate child = current;
      Optional<X509Certificate> parent = serverChain.stream()
          .filter(c -> c != child && issuedBy(child, c)).findFirst();
      if (parent.isEmpty()) {
        return Optional.empty();
      }
      current = parent.get();
    }
    return Optional.empty();
  }

  /** Tells "another CA" apart from "a different CA with the same name" (the rogue-CA case). */
  private String chainProblem(TlsFile ca, TlsFile cert) {
    X509Certificate leaf = serverChain.get(0);
    String caNames = caCertificates.stream().map(CertificateChecks::subject).collect(Collectors.joining(", "));
    boolean sameName = caCertificates.stream()
        .anyMatch(c -> c.getSubjectX500Principal().equals(leaf.getIssuerX500Principal()));
    if (sameName) {
      return cert.path() + " names " + caNames + " as issuer, but its signature does not verify with the key of "
          + "the CA in " + ca.path() + " (a different CA with the same name); install a certificate issued by "
          + "the CA in tls.ca_cert";
    }
    return cert.path() + " is issued by " + leaf.getIssuerX500Principal().getName() + ", not by the CA in "
        + ca.path() + " (" + caNames + "); install a certificate issued by that CA, or point tls.ca_cert at "
        + "the CA that issued it";
  }

  // --- step 6: expiring soon ------------------------------------------------------------------------

  private void warnExpiring() {
    Instant horizon = now.plus(Duration.ofDays(Math.max(0, renewalThresholdDays)));
    if (!failed.contains(SERVER_CERT) && !serverChain.isEmpty()) {
      Instant notAfter = serverChain.get(0).getNotAfter().toInstant();
      if (notAfter.isBefore(horizon)) {
        findings.add(CertificateFinding.warning(SERVER_CERT, "expires on " + notAfter.truncatedTo(ChronoUnit.SECONDS)
            + " (" + relative(notAfter) + ", within cert_renewal_threshold_days " + renewalThresholdDays + "); "
            + RENEW));
      }
    }
    if (!failed.contains(CA_CERT)) {
      // the anchor when the chain was found; otherwise every current CA, since clients chain to them too
      List<X509Certificate> cas = anchor != null ? List.of(anchor)
          : caCertificates.stream().filter(this::withinValidity).toList();
      for (X509Certificate c : cas) {
        Instant notAfter = c.getNotAfter().toInstant();
        if (notAfter.isBefore(horizon)) {
          findings.add(CertificateFinding.warning(CA_CERT, "the CA " + subject(c) + " expires on "
              + notAfter.truncatedTo(ChronoUnit.SECONDS) + " (" + relative(notAfter) + "); every certificate it "
              + "issued stops working then: create a new CA and distribute it before that date"));
        }
      }
    }
  }

  // --- the CRL: exists, parses, signed by the CA, not stale -----------------------------------------

  private void checkCrl(TlsFile ca, TlsFile file) {
    if (!file.readable()) {
      fail(file.problem());
      return;
    }
    try {
      crl = PemFiles.parseCrl(file.bytes());
    } catch (PemFormatException e) {
      fail(CertificateFinding.error(CRL_PATH, file.path() + " is not a usable CRL: " + e.getMessage()
          + "; put the CRL published by the CA in tls.ca_cert there"));
      return;
    }
    // without a parsed CA there is nothing to verify against; that problem is already reported
    if (!caCertificates.isEmpty()) {
      boolean sameName = false;
      boolean verified = false;
      for (X509Certificate c : caCertificates) {
        if (c.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
          sameName = true;
          verified |= verifies(crl, c);
        }
      }
      if (!verified) {
        String why = sameName
            ? " names " + crl.getIssuerX500Principal().getName() + " as issuer, but its signature does not verify "
                + "with the key of the CA in " + ca.path() + " (a different CA with the same name)"
            : " is issued by " + crl.getIssuerX500Principal().getName() + ", not by the CA in " + ca.path();
        fail(CertificateFinding.error(CRL_PATH, file.path() + why + "; install the CRL published by the CA in "
            + "tls.ca_cert"));
        return;
      }
    }
    if (crl.getNextUpdate() != null && crl.getNextUpdate().toInstant().isBefore(now)) {
      Instant nextUpdate = crl.getNextUpdate().toInstant();
      findings.add(CertificateFinding.warning(CRL_PATH, file.path() + " is stale: its nextUpdate was "
          + nextUpdate.truncatedTo(ChronoUnit.SECONDS) + " (" + relative(nextUpdate) + "); fetch the current CRL "
          + "from the CA, certificates revoked since then are still accepted"));
    }
  }

  // --- small pieces ---------------------------------------------------------------------------------

  private boolean ok(TlsFile file) {
    return file.readable() && !failed.contains(file.key());
  }

  private void fail(CertificateFinding finding) {
    findings.add(finding);
    failed.add(finding.key());
  }

  private boolean withinValidity(X509Certificate c) {
    return !now.isBefore(c.getNotBefore().toInstant()) && !now.isAfter(c.getNotAfter().toInstant());
  }

  private String validityProblem(X509Certificate c) {
    Instant notAfter = c.getNotAfter().toInstant();
    if (now.isAfter(notAfter)) {
      return "expired on " + notAfter.truncatedTo(ChronoUnit.SECONDS) + " (" + relative(notAfter) + ")";
    }
    Instant notBefore = c.getNotBefore().toInstant();
    return "is not valid until " + notBefore.truncatedTo(ChronoUnit.SECONDS) + " (" + relative(notBefore) + ")";
  }

  private long daysUntil(Instant instant) {
    return Duration.between(now, instant).toDays();
  }

  /** "7 days ago", "in 3 hours": the unit an operator would say out loud. */
  private String relative(Instant instant) {
    Duration d = Duration.between(now, instant);
    Duration abs = d.abs();
    String amount;
    if (abs.toDays() >= 1) {
      amount = plural(abs.toDays(), "day");
    } else if (abs.toHours() >= 1) {
      amount = plural(abs.toHours(), "hour");
    } else {
      amount = plural(Math.max(1, abs.toMinutes()), "minute");
    }
    return d.isNegative() ? amount + " ago" : "in " + amount;
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }

  private static String subject(X509Certificate c) {
    return c.getSubjectX500Principal().getName();
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

  private static boolean verifies(X509CRL crl, X509Certificate issuer) {
    try {
      crl.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
