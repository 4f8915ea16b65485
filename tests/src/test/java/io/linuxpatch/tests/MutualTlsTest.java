package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** SEC-1, SEC-2, SEC-5, API-2, API-3 end to end: real TLS against a real agent. */
@Tag("SEC-1")
@Tag("SEC-2")
@Tag("SEC-5")
@Tag("API-2")
@Tag("API-3")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MutualTlsTest {

  @TempDir
  static Path dir;
  AgentUnderTest agent;

  @BeforeAll
  void start() throws Exception {
    agent = new AgentUnderTest(dir).start();
  }

  @AfterAll
  void stop() {
    agent.close();
  }

  @Test
  @DisplayName("a valid client gets 200 with a well-formed envelope and its X-Request-ID echoed")
  void validClient() throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = client.get("/health", "X-Request-ID: my-req.id_1");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.header("X-Request-ID")).isEqualTo("my-req.id_1");
      assertThat(response.header("Content-Type")).startsWith("application/json");
      JsonObject body = new JsonObject(response.body());
      assertThat(body.fieldNames()).containsExactlyInAnyOrder("success", "request_id", "timestamp", "data", "error");
      assertThat(body.getBoolean("success")).isTrue();
      assertThat(body.getString("request_id")).isEqualTo("my-req.id_1");
      assertThat(body.getString("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
      assertThat(body.getValue("error")).isNull();
      JsonObject data = body.getJsonObject("data");
      assertThat(data.getString("status")).isIn("healthy", "degraded");
      assertThat(data.getJsonObject("checks").fieldNames()).contains("config", "certificates", "crl", "disk");
    }
  }

  @Test
  @DisplayName("an unusable X-Request-ID is replaced by a UUID that is echoed in header and envelope")
  void badRequestIdReplaced() throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = client.get("/api/v1/health", "X-Request-ID: bad id with spaces");
      String id = response.header("X-Request-ID");
      assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
      assertThat(new JsonObject(response.body()).getString("request_id")).isEqualTo(id);
    }
  }

  @Test
  @DisplayName("a client without a certificate receives no HTTP byte")
  void noCertificate() throws Exception {
    SSLContext anonymous = TlsClient.context(null, agent.pki.ca.certificate());
    assertThat(TlsClient.applicationBytes(anonymous, agent.port)).isEmpty();
  }

  @Test
  @DisplayName("a certificate from another CA with the same name receives no HTTP byte, and the alert unknown_ca")
  void foreignCa() throws Exception {
    SSLContext rogue = TlsClient.context(TestPki.rogueClient(), agent.pki.ca.certificate());
    assertThat(TlsClient.applicationBytes(rogue, agent.port)).isEmpty();
    assertAlert(rogue, "unknown_ca");
  }

  @Test
  @DisplayName("a self-signed client certificate receives no HTTP byte, and the alert unknown_ca")
  void selfSigned() throws Exception {
    SSLContext self = TlsClient.context(TestPki.selfSignedClient(), agent.pki.ca.certificate());
    assertThat(TlsClient.applicationBytes(self, agent.port)).isEmpty();
    assertAlert(self, "unknown_ca");
  }

  @Test
  @DisplayName("an expired client certificate receives no HTTP byte, and the alert certificate_expired")
  void expired() throws Exception {
    SSLContext expired = TlsClient.context(agent.pki.expiredClient(), agent.pki.ca.certificate());
    assertThat(TlsClient.applicationBytes(expired, agent.port)).isEmpty();
    assertAlert(expired, "certificate_expired");
  }

  @Test
  @DisplayName("a certificate revoked by the configured CRL receives no HTTP byte, and the alert certificate_revoked")
  void revoked() throws Exception {
    SSLContext revoked = TlsClient.context(agent.pki.revoked, agent.pki.ca.certificate());
    assertThat(TlsClient.applicationBytes(revoked, agent.port)).isEmpty();
    assertAlert(revoked, "certificate_revoked");
  }

  @Test
  @DisplayName("a certificate with only the serverAuth EKU receives no HTTP byte, and the alert unsupported_certificate")
  void serverAuthOnly() throws Exception {
    SSLContext serverOnly = TlsClient.context(agent.pki.serverAuthOnlyClient(), agent.pki.ca.certificate());
    assertThat(TlsClient.applicationBytes(serverOnly, agent.port)).isEmpty();
    assertAlert(serverOnly, "unsupported_certificate");
  }

  /**
   * SEC-1: the refusal's alert says why (BoringSSL; the JDK engine sends certificate_unknown for every refused
   * client certificate under TLS 1.3, whatever the trust manager says).
   */
  private void assertAlert(SSLContext context, String expected) {
    String alert = TlsClient.refusalAlert(context, agent.port);
    if (!io.linuxpatch.http.TlsEngine.name().startsWith("openssl")) {
      assertThat(alert).isEqualTo("certificate_unknown");
      return;
    }
    assertThat(alert).isEqualTo(expected);
  }

  @Test
  @DisplayName("TLS 1.2 is refused by default, even with a valid client certificate")
  void tls12Refused() throws Exception {
    assertThat(TlsClient.applicationBytes(agent.clientContext(), agent.port, "TLSv1.2")).isEmpty();
  }

  @Test
  @DisplayName("the same valid client gets HTTP bytes, so the negative cases above are not vacuous")
  void positiveControl() throws Exception {
    assertThat(new String(TlsClient.applicationBytes(agent.clientContext(), agent.port))).startsWith("HTTP/1.1 200");
  }
}
