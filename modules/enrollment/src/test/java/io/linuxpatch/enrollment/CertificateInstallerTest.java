package io.linuxpatch.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linuxpatch.contract.config.TlsConfig;
import io.linuxpatch.pki.CertificateAuthority;
import io.linuxpatch.pki.IssuedCertificate;
import io.linuxpatch.pki.LeafSpec;
import io.linuxpatch.pki.PemFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CertificateInstaller}: staged and checked as the agent will load it, then written with backups. */
class CertificateInstallerTest {

  @TempDir
  Path dir;

  private final CertificateAuthority fleet = CertificateAuthority.create("fleet CA", Duration.ofDays(365));

  private TlsConfig tls(String crl) {
    return new TlsConfig(dir.resolve("certs/ca.pem").toString(), dir.resolve("certs/server.pem").toString(),
        dir.resolve("certs/server.key.pem").toString(), crl, "1.3");
  }

  private MaterialCheck.Checked material() throws Exception {
    KeyPair keys = SigningRequest.newKey();
    return MaterialCheck.check(new ApprovedMaterial(PemFiles.encode(fleet.certificate()),
        PemFiles.encode(fleet.certify(LeafSpec.server("host"), keys.getPublic())), null, null), keys.getPrivate(),
        Instant.now());
  }

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  @DisplayName("from nothing: key 0600, certificates 0644, no backups, staging gone")
  void fromNothing() throws Exception {
    MaterialCheck.Checked material = material();
    CertificateInstaller.Installed installed = new CertificateInstaller(tls(null), dir.resolve("data/staging"), 7)
        .install(material, Instant.now());
    assertThat(installed.backups()).isEmpty();
    assertThat(installed.written()).hasSize(3);
    assertThat(mode(dir.resolve("certs/server.key.pem"))).isEqualTo("rw-------");
    assertThat(mode(dir.resolve("certs/server.pem"))).isEqualTo("rw-r--r--");
    assertThat(mode(dir.resolve("certs/ca.pem"))).isEqualTo("rw-r--r--");
    assertThat(PemFiles.readCertificates(dir.resolve("certs/server.pem")).get(0)).isEqualTo(material.leaf());
    assertThat(PemFiles.readPrivateKey(dir.resolve("certs/server.key.pem"))).isEqualTo(material.key());
    assertThat(dir.resolve("data/staging")).doesNotExist();
  }

  @Test
  @DisplayName("over existing files: each previous file is kept as .bak with its mode, byte for byte")
  void keepsBackups() throws Exception {
    Files.createDirectories(dir.resolve("certs"));
    IssuedCertificate old = fleet.issue(LeafSpec.server("old"));
    old.writeTo(dir.resolve("certs/server.pem"), dir.resolve("certs/server.key.pem"));
    Files.writeString(dir.resolve("certs/ca.pem"), "# an operator's note\n" + PemFiles.encode(fleet.certificate()));
    List<byte[]> before = List.of(Files.readAllBytes(dir.resolve("certs/server.key.pem")),
        Files.readAllBytes(dir.resolve("certs/server.pem")), Files.readAllBytes(dir.resolve("certs/ca.pem")));
    CertificateInstaller.Installed installed = new CertificateInstaller(tls(null), dir.resolve("data/staging"), 7)
        .install(material(), Instant.now());
    assertThat(installed.backups()).containsExactly(dir.resolve("certs/server.key.pem.bak"),
        dir.resolve("certs/server.pem.bak"), dir.resolve("certs/ca.pem.bak"));
    for (int i = 0; i < 3; i++) {
      assertThat(Files.readAllBytes(installed.backups().get(i))).isEqualTo(before.get(i));
    }
    assertThat(mode(dir.resolve("certs/server.key.pem.bak"))).isEqualTo("rw-------");
    assertThat(mode(dir.resolve("certs/server.pem.bak"))).isEqualTo("rw-r--r--");
  }

  @Test
  @DisplayName("a set the agent's own checks would refuse (the CRL of another CA) is not written")
  void refusedByTheAgentsChecks() throws Exception {
    Files.createDirectories(dir.resolve("certs"));
    CertificateAuthority other = CertificateAuthority.create("other CA", Duration.ofDays(30));
    Path crl = dir.resolve("certs/crl.pem");
    Files.writeString(crl, other.crlPem(List.of(), Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600)));
    assertThatThrownBy(() -> new CertificateInstaller(tls(crl.toString()), dir.resolve("data/staging"), 7)
        .install(material(), Instant.now())).isInstanceOf(MaterialRejected.class)
        .hasMessageContaining("would not pass the agent's own certificate checks").hasMessageContaining("tls.crl_path");
    assertThat(dir.resolve("certs/server.pem")).doesNotExist();
    assertThat(dir.resolve("certs/server.key.pem")).doesNotExist();
    assertThat(dir.resolve("data/staging")).doesNotExist();
  }
}
