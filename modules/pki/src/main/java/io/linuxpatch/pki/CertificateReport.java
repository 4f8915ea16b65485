package io.linuxpatch.pki;

import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What one run of {@link CertificateChecks#check} found, together with everything it read and parsed,
 * so that a caller (AuthVerticle on start and on every reload) serves exactly the bytes that were
 * checked and never reads the files a second time.
 *
 * <p>Parsed objects and bytes are present whenever they could be read or parsed, even if a later check
 * of the same file failed; a caller must look at {@link #ok()} before using them. Byte arrays are
 * copied on the way out.
 *
 * @param findings        errors and warnings in CFG-4 order
 * @param serverChain     certificates of {@code tls.server_cert}, leaf first; empty if unparsed
 * @param caCertificates  certificates of {@code tls.ca_cert}; empty if unparsed
 * @param serverKey       the key of {@code tls.server_key}, or null
 * @param crl             the CRL of {@code tls.crl_path}, or null (not configured or unparsed)
 * @param serverDaysLeft  whole days until the server certificate expires (negative when expired), or null
 * @param caDaysLeft      whole days until the CA the server chains to (else the first CA) expires, or null
 * @param caPem           raw bytes of {@code tls.ca_cert}, or null when unread
 * @param serverCertPem   raw bytes of {@code tls.server_cert}, or null when unread
 * @param serverKeyPem    raw bytes of {@code tls.server_key}, or null when unread
 * @param crlPem          raw bytes of {@code tls.crl_path} (PEM or DER), or null
 */
public record CertificateReport(List<CertificateFinding> findings, List<X509Certificate> serverChain,
    List<X509Certificate> caCertificates, PrivateKey serverKey, X509CRL crl, Long serverDaysLeft,
    Long caDaysLeft, byte[] caPem, byte[] serverCertPem, byte[] serverKeyPem, byte[] crlPem) {

  public CertificateReport {
    findings = List.copyOf(findings);
    serverChain = List.copyOf(serverChain);
    caCertificates = List.copyOf(caCertificates);
  }

  /** True when no finding is an ERROR; warnings alone do not stop the agent. */
  public boolean ok() {
    return findings.stream().noneMatch(f -> f.severity() == CertificateFinding.Severity.ERROR);
  }

  /** One line per finding, e.g. {@code "ERROR tls.server_cert: ..."}. */
  public List<String> lines() {
    return findings.stream().map(CertificateFinding::line).toList();
  }

  public List<CertificateFinding> errors() {
    return findings.stream().filter(f -> f.severity() == CertificateFinding.Severity.ERROR).toList();
  }

  public List<CertificateFinding> warnings() {
    return findings.stream().filter(f -> f.severity() == CertificateFinding.Severity.WARNING).toList();
  }

  @Override
  public byte[] caPem() {
    return copy(caPem);
  }

  @Override
  public byte[] serverCertPem() {
    return copy(serverCertPem);
  }

  @Override
  public byte[] serverKeyPem() {
    return copy(serverKeyPem);
  }

  @Override
  public byte[] crlPem() {
    return copy(crlPem);
  }

  /** Findings and days only: the default record toString would print the key object. */
  @Override
  public String toString() {
    return "CertificateReport[ok=" + ok() + ", serverDaysLeft=" + serverDaysLeft + ", caDaysLeft=" + caDaysLeft
        + ", findings=" + lines() + "]";
  }

  private static byte[] copy(byte[] bytes) {
    return bytes == null ? null : bytes.clone();
  }
}
