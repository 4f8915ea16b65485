package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.linuxpatch.contract.auth.ClientIdentity;
import io.linuxpatch.pki.IssuedCertificate;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * SEC-6 end to end: a grant can name one certificate exactly, by SHA-256 fingerprint or serial, and then
 * another certificate of the same CA with the very same CN is not that client. Fingerprints and serials are
 * written as {@code openssl x509 -noout -fingerprint -sha256} and {@code -serial} print them.
 */
@Tag("SEC-6")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CertificateGrantTest {

  private static final String REBOOT = "{\"delay_seconds\":0,\"reason\":\"test\",\"force\":true}";

  @TempDir
  static Path dir;
  AgentUnderTest agent;
  IssuedCertificate granted;
  /** Same CA, same CN, another key and serial. */
  IssuedCertificate sameName;

  @BeforeAll
  void start() throws Exception {
    agent = new AgentUnderTest(dir).start();
    granted = agent.pki.client("ops-1");
    sameName = agent.pki.client("ops-1");
  }

  @AfterAll
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private TlsClient.Response send(IssuedCertificate who, String method, String path, String body,
      String... headers) throws Exception {
    try (TlsClient client = agent.connectAs(who)) {
      if (body == null) {
        return client.exchange(method, path, null, headers);
      }
      String[] all = java.util.Arrays.copyOf(headers, headers.length + 1);
      all[headers.length] = "Content-Type: application/json";
      return client.exchange(method, path, body, all);
    }
  }

  /** Rewrites the config and waits until {@code probe}'s read is answered {@code expected}. */
  /**
   * Writes the authorization section and waits until {@code applied} holds: a probe only the new grants answer
   * that way (a read that was 200 under the read-only default proves nothing).
   */
  private void configure(String authorization, java.util.concurrent.Callable<Boolean> applied) throws Exception {
    agent.writeConfig(authorization);
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(applied);
  }

  /** As {@code openssl x509 -noout -fingerprint -sha256} prints it: upper-case pairs joined by colons. */
  private static String opensslFingerprint(IssuedCertificate certificate) {
    String hex = ClientIdentity.of(certificate.certificate()).fingerprint().toUpperCase(Locale.ROOT);
    return String.join(":", hex.split("(?<=\\G..)"));
  }

  /** As {@code openssl x509 -noout -serial} prints it: upper-case hex, an even number of digits. */
  private static String opensslSerial(IssuedCertificate certificate) {
    return HexFormat.of().withUpperCase().formatHex(certificate.certificate().getSerialNumber().toByteArray());
  }

  private static String reason(TlsClient.Response response) {
    return new JsonObject(response.body()).getJsonObject("error").getJsonObject("details").getString("reason");
  }

  @Test
  @DisplayName("a grant by sha256 fingerprint admits exactly that certificate; another of the same CA with the same CN gets nothing")
  void fingerprintGrant() throws Exception {
    configure("authorization:\n  clients:\n    \"sha256:" + opensslFingerprint(granted) + "\": admin\n",
        () -> send(sameName, "GET", "/api/v1/system/info", null).status() == 403);

    TlsClient.Response reboot = send(granted, "POST", "/api/v1/system/reboot", REBOOT);
    assertThat(reboot.status()).as(reboot.body()).isEqualTo(202);

    TlsClient.Response read = send(sameName, "GET", "/api/v1/system/info", null);
    assertThat(read.status()).isEqualTo(403);
    assertThat(reason(read)).isEqualTo("no_rule");
    TlsClient.Response refused = send(sameName, "POST", "/api/v1/system/reboot", REBOOT, "X-Request-ID: same-name-reboot");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(new JsonObject(refused.body()).getJsonObject("error").getString("code")).isEqualTo("AUTHZ_FORBIDDEN");
    String fingerprint = ClientIdentity.of(sameName.certificate()).fingerprint();
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
        assertThat(agent.auditRecords().stream()
            .filter(r -> "request".equals(r.getString("event")) && "same-name-reboot".equals(r.getString("request_id"))))
            .singleElement().satisfies(r -> {
              assertThat(r.getJsonObject("client").getString("sha256")).isEqualTo(fingerprint);
              assertThat(r.getInteger("status")).isEqualTo(403);
              assertThat(r.getString("refusal")).isEqualTo("no_rule");
            }));
  }

  @Test
  @DisplayName("a grant by serial wins over a CN glob that matches the same certificate, wherever it stands in the file")
  void serialGrantWinsOverGlob() throws Exception {
    configure("authorization:\n  clients:\n    \"ops-*\": admin\n    \"serial:" + opensslSerial(sameName)
        + "\": read\n", () -> "role".equals(reason(send(sameName, "POST", "/api/v1/system/reboot", REBOOT))));

    TlsClient.Response byGlob = send(granted, "POST", "/api/v1/system/reboot", REBOOT);
    assertThat(byGlob.status()).as(byGlob.body()).isEqualTo(202);
    TlsClient.Response bySerial = send(sameName, "POST", "/api/v1/system/reboot", REBOOT);
    assertThat(bySerial.status()).isEqualTo(403);
    assertThat(reason(bySerial)).isEqualTo("role");
    assertThat(new JsonObject(bySerial.body()).getJsonObject("error").getString("message"))
        .contains("(read)").contains("admin");
  }
}
