package io.linuxpatch.pki;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A certificate together with the private key generated for it, as {@link CertificateAuthority#issue}
 * returns them.
 */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {

  public String certificatePem() {
    return PemFiles.encode(certificate);
  }

  /** PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}). */
  public String privateKeyPem() {
    return PemFiles.encode(privateKey);
  }

  /** Writes the certificate with mode 0644 and the key with mode 0600, each atomically. */
  public void writeTo(Path certPem, Path keyPem) throws IOException {
    // two renames cannot be one atomic step; the key goes first because reloaders watch the certificate
    PemFiles.writeAtomically(keyPem, privateKeyPem(), PemFiles.KEY_PERMISSIONS);
    PemFiles.writeAtomically(certPem, certificatePem(), PemFiles.CERTIFICATE_PERMISSIONS);
  }

  /** Names the certificate only: a record's default toString would hand the key to whoever logs it. */
  @Override
  public String toString() {
    return "IssuedCertificate[" + certificate.getSubjectX500Principal().getName()
        + ", serial " + certificate.getSerialNumber().toString(16) + "]";
  }
}
