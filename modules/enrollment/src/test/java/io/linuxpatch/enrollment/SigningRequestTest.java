package io.linuxpatch.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.security.KeyPair;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link SigningRequest}: a P-256 key and a CSR that names the host. */
class SigningRequestTest {

  @Test
  @DisplayName("the CSR is PEM PKCS#10 for the P-256 key, signed by it, with the host as CN and its names and addresses as SANs")
  void csr() throws Exception {
    KeyPair keys = SigningRequest.newKey();
    assertThat(keys.getPublic().getAlgorithm()).isEqualTo("EC");
    assertThat(((java.security.interfaces.ECPublicKey) keys.getPublic()).getParams().getCurve().getField()
        .getFieldSize()).isEqualTo(256);
    HostIdentity host = new HostIdentity("0123abcd", "web-1", "web-1.example.internal", "192.0.2.10",
        new JsonObject().put("id", "debian"), List.of("web-1.example.internal", "web-1"), List.of("192.0.2.10",
        "2001:db8::10"));
    String pem = SigningRequest.pem(keys, host);
    assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----").doesNotContain("PRIVATE KEY");
    PKCS10CertificationRequest request;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      request = (PKCS10CertificationRequest) parser.readObject();
    }
    java.security.PublicKey requested = new JcaPKCS10CertificationRequest(request).getPublicKey();
    assertThat(requested).isEqualTo(keys.getPublic());
    assertThat(request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(requested))).isTrue();
    assertThat(request.getSubject().toString()).isEqualTo("CN=web-1.example.internal");
    Extensions extensions = Extensions.getInstance(request.getAttributes(
        PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0].getAttrValues().getObjectAt(0));
    GeneralName[] names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName).getNames();
    assertThat(names).extracting(n -> n.getTagNo() + ":" + n.getName()).contains("2:web-1.example.internal", "2:web-1");
    assertThat(names).filteredOn(n -> n.getTagNo() == GeneralName.iPAddress).hasSize(2);
  }

  @Test
  @DisplayName("the registration body carries the protocol's fields and the CSR, never a key")
  void body() {
    HostIdentity host = new HostIdentity("m", "h", "h.example", "192.0.2.1", new JsonObject().put("id", "debian"),
        List.of("h.example"), List.of("192.0.2.1"));
    JsonObject body = host.requestBody("CSR");
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("machine_id", "fqdn", "ip_address", "os_details",
        "hostname", "csr");
    assertThat(body.getJsonObject("os_details").getString("id")).isEqualTo("debian");
  }
}
