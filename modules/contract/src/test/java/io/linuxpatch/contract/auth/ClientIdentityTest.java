package io.linuxpatch.contract.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClientIdentity#of}: CN, serial and SHA-256 fingerprint of a real certificate made by openssl, and
 * whether it is a host certificate by its extended key usage.
 */
class ClientIdentityTest {

  private static final Path OPENSSL = Path.of("/usr/bin/openssl");

  @TempDir
  static Path dir;

  private static X509Certificate certificate;
  private static Path pem;

  @BeforeAll
  static void makeCertificate() throws Exception {
    assumeTrue(Files.isExecutable(OPENSSL), "openssl is not installed");
    pem = dir.resolve("client.pem");
    run(OPENSSL.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-subj", "/CN=a\\, b\\+c/O=x", "-days", "1",
        "-keyout", dir.resolve("client.key").toString(), "-out", pem.toString());
    try (InputStream in = Files.newInputStream(pem)) {
      certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
    return output;
  }

  /** The value after "=" of a one-line {@code openssl x509} answer such as {@code serial=0A1B}. */
  private static String opensslField(String option, String... more) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(OPENSSL.toString(), "x509", "-in", pem.toString(), "-noout", option));
    command.addAll(List.of(more));
    String line = run(command.toArray(new String[0])).strip();
    return line.substring(line.indexOf('=') + 1);
  }

  @Test
  @DisplayName("The CN keeps an escaped comma and plus as the characters themselves, not the escapes")
  void commonNameUnescaped() {
    assertThat(ClientIdentity.of(certificate).commonName()).isEqualTo("a, b+c");
  }

  @Test
  @DisplayName("The serial is the certificate's serial number in lower-case hex without leading zeros")
  void serialHex() throws Exception {
    String serial = ClientIdentity.of(certificate).serial();
    assertThat(serial).matches("[0-9a-f]+").doesNotStartWith("0");
    String fromOpenssl = new BigInteger(opensslField("-serial"), 16).toString(16);
    assertThat(serial).isEqualTo(fromOpenssl);
  }

  @Test
  @DisplayName("The fingerprint equals openssl's SHA-256 fingerprint without colons, in lower case")
  void fingerprintMatchesOpenssl() throws Exception {
    String expected = opensslField("-fingerprint", "-sha256").replace(":", "").toLowerCase(Locale.ROOT);
    ClientIdentity identity = ClientIdentity.of(certificate);
    assertThat(identity.fingerprint()).hasSize(64).isEqualTo(expected);
  }

  /** A self-signed certificate made by openssl with {@code extendedKeyUsage = usage}. */
  private static X509Certificate withUsage(String name, String usage) throws Exception {
    Path out = dir.resolve(name + ".pem");
    run(OPENSSL.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-subj", "/CN=" + name, "-days", "1", "-addext", "extendedKeyUsage=" + usage,
        "-keyout", dir.resolve(name + ".key").toString(), "-out", out.toString());
    try (InputStream in = Files.newInputStream(out)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  @Test
  @DisplayName("A host certificate is one a TLS server could use: serverAuth or anyExtendedKeyUsage, or no EKU at all; clientAuth alone is not")
  void hostCertificate() throws Exception {
    assertThat(ClientIdentity.of(withUsage("client-only", "clientAuth")).hostCertificate()).isFalse();
    assertThat(ClientIdentity.of(withUsage("agent", "serverAuth,clientAuth")).hostCertificate()).isTrue();
    assertThat(ClientIdentity.of(withUsage("any", "anyExtendedKeyUsage,clientAuth")).hostCertificate()).isTrue();
    assertThat(certificate.getExtendedKeyUsage()).as("openssl req -x509 adds no EKU by default").isNull();
    assertThat(ClientIdentity.of(certificate).hostCertificate()).isTrue();
  }

  @Test
  @DisplayName("toJson names the fields cn, serial and sha256")
  void json() {
    ClientIdentity identity = ClientIdentity.of(certificate);
    assertThat(identity.toJson().fieldNames()).containsExactlyInAnyOrder("cn", "serial", "sha256");
    assertThat(identity.toJson().getString("cn")).isEqualTo("a, b+c");
    assertThat(identity.toJson().getString("sha256")).isEqualTo(identity.fingerprint());
  }
}
