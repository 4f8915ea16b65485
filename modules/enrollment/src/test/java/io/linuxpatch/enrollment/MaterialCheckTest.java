package io.linuxpatch.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linuxpatch.pki.CertificateAuthority;
import io.linuxpatch.pki.IssuedCertificate;
import io.linuxpatch.pki.KeyPurpose;
import io.linuxpatch.pki.LeafSpec;
import io.linuxpatch.pki.PemFiles;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link MaterialCheck}: what a manager approved is checked before anything is written. */
class MaterialCheckTest {

  private static final CertificateAuthority FLEET = CertificateAuthority.create("fleet CA", Duration.ofDays(365));
  private final KeyPair own = SigningRequest.newKey();
  private final Instant now = Instant.now();

  private ApprovedMaterial forOwnKey(LeafSpec spec) {
    return new ApprovedMaterial(PemFiles.encode(FLEET.certificate()),
        PemFiles.encode(FLEET.certify(spec, own.getPublic())), null, "192.0.2.7");
  }

  @Test
  @DisplayName("a certificate for the agent's own key, chaining to ca_crt, with serverAuth and clientAuth passes")
  void ownKey() throws Exception {
    MaterialCheck.Checked checked = MaterialCheck.check(forOwnKey(LeafSpec.server("host")), own.getPrivate(), now);
    assertThat(checked.keySource()).isEqualTo("agent");
    assertThat(checked.key()).isEqualTo(own.getPrivate());
    assertThat(checked.managerIp()).isEqualTo("192.0.2.7");
  }

  @Test
  @DisplayName("a manager's server_key (original protocol) passes only when it matches server_crt")
  void managerKey() throws Exception {
    IssuedCertificate issued = FLEET.issue(LeafSpec.server("host"));
    ApprovedMaterial material = new ApprovedMaterial(PemFiles.encode(FLEET.certificate()), issued.certificatePem(),
        issued.privateKeyPem(), "192.0.2.7");
    assertThat(MaterialCheck.check(material, own.getPrivate(), now).keySource()).isEqualTo("manager");
    ApprovedMaterial mismatched = new ApprovedMaterial(material.caPem(), material.certPem(),
        FLEET.issue(LeafSpec.server("other")).privateKeyPem(), "192.0.2.7");
    assertThatThrownBy(() -> MaterialCheck.check(mismatched, own.getPrivate(), now))
        .isInstanceOf(MaterialRejected.class).hasMessageContaining("server_key does not match its server_crt");
  }

  @Test
  @DisplayName("bad PEM, another key, another CA, expiry and a missing EKU are each refused, naming the check")
  void refusals() {
    ApprovedMaterial good = forOwnKey(LeafSpec.server("host"));
    assertThatThrownBy(() -> MaterialCheck.check(new ApprovedMaterial(good.caPem(), "-----BEGIN CERTIFICATE-----\nxx\n",
        null, null), own.getPrivate(), now)).hasMessageContaining("server_crt is not a usable PEM certificate");
    assertThatThrownBy(() -> MaterialCheck.check(good, SigningRequest.newKey().getPrivate(), now))
        .hasMessageContaining("not a certificate for the key this agent generated");
    CertificateAuthority rogue = CertificateAuthority.create("fleet CA", Duration.ofDays(365));
    ApprovedMaterial otherCa = new ApprovedMaterial(good.caPem(),
        PemFiles.encode(rogue.certify(LeafSpec.server("host"), own.getPublic())), null, null);
    assertThatThrownBy(() -> MaterialCheck.check(otherCa, own.getPrivate(), now))
        .hasMessageContaining("does not chain to the CA in ca_crt");
    ApprovedMaterial expired = forOwnKey(LeafSpec.server("host")
        .withValidity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))));
    assertThatThrownBy(() -> MaterialCheck.check(expired, own.getPrivate(), now)).hasMessageContaining("expired on");
    ApprovedMaterial serverOnly = forOwnKey(LeafSpec.server("host").withPurposes(KeyPurpose.SERVER_AUTH));
    assertThatThrownBy(() -> MaterialCheck.check(serverOnly, own.getPrivate(), now))
        .isInstanceOf(MaterialRejected.class).hasMessageContaining("serverAuth and clientAuth")
        .hasMessageContaining("it has serverAuth");
  }
}
