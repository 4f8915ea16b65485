package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.linuxpatch.contract.auth.ClientIdentity;
import io.linuxpatch.pki.IssuedCertificate;
import io.linuxpatch.pki.LeafSpec;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * SEC-6 end to end: the certificate of another host of the fleet — serverAuth and clientAuth, issued by the
 * agent's own CA, as enrollment gives every host — is no API client unless
 * {@code authorization.allow_host_certificates} is true, even when a CN glob of the configuration matches it.
 * A real agent on a demo sandbox (real apt and dpkg), real mutual TLS.
 */
@Tag("SEC-6")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostCertificateTest {

  /** Every CN is admin: only the host-certificate rule can refuse anyone here. */
  private static final String EVERYONE_ADMIN = """
      authorization:
        clients:
          "*": admin
      """;
  private static final String INSTALL = "{\"packages\":[{\"name\":\"demo-app\"}]}";
  private static final String REBOOT = "{\"delay_seconds\":0,\"reason\":\"test\",\"force\":true}";
  private static final String UPGRADE = "Upgrade: websocket";
  private static final String[] WEBSOCKET = {UPGRADE, "Connection: Upgrade",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"};

  @TempDir
  static Path dir;
  AgentUnderTest agent;
  /** Another host's certificate, as the agent's own: serverAuth + clientAuth, same CA. */
  IssuedCertificate otherHost;

  @BeforeAll
  void start() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    agent = new AgentUnderTest(dir);
    agent.useDemoSandbox(EVERYONE_ADMIN);
    agent.start();
    otherHost = agent.pki.ca.issue(LeafSpec.server("web-2.example.internal"));
  }

  @AfterAll
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private TlsClient.Response send(IssuedCertificate who, String method, String path, String body) throws Exception {
    try (TlsClient client = agent.connectAs(who)) {
      return body == null ? client.exchange(method, path, null)
          : client.exchange(method, path, body, "Content-Type: application/json");
    }
  }

  private TlsClient.Response openJobEvents(IssuedCertificate who) throws Exception {
    try (TlsClient client = agent.connectAs(who)) {
      return client.exchange("GET", "/api/v1/ws/jobs", null, WEBSOCKET);
    }
  }

  /** Rewrites the config and waits until the agent answers {@code expected} to the other host's read. */
  private void configure(String authorization, int expected) throws Exception {
    agent.writeConfig(authorization);
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
        .until(() -> send(otherHost, "GET", "/api/v1/system/info", null).status() == expected);
  }

  private int jobCount() throws Exception {
    TlsClient.Response list = send(agent.pki.client, "GET", "/api/v1/jobs", null);
    assertThat(list.status()).isEqualTo(200);
    return new JsonObject(list.body()).getJsonObject("data").getInteger("total");
  }

  private JsonObject finished(String id) throws Exception {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> !new JsonObject(
        send(agent.pki.client, "GET", "/api/v1/jobs/" + id, null).body()).getJsonObject("data").getString("status")
        .matches("pending|running"));
    return new JsonObject(send(agent.pki.client, "GET", "/api/v1/jobs/" + id, null).body()).getJsonObject("data");
  }

  private String submitted(TlsClient.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    return new JsonObject(response.body()).getJsonObject("data").getString("job_id");
  }

  @Test
  @DisplayName("a host certificate cannot install, remove, reboot or open the job-events socket, not even read; each refusal is a 403 naming the setting and is audited as such")
  void hostCertificateRefused() throws Exception {
    configure(EVERYONE_ADMIN, 403);
    Path rebootMarker = dir.resolve("data/reboot-requested");
    Files.deleteIfExists(rebootMarker);
    int jobsBefore = jobCount();
    String fingerprint = ClientIdentity.of(otherHost.certificate()).fingerprint();

    List<TlsClient.Response> refused = List.of(
        send(otherHost, "POST", "/api/v1/packages", INSTALL),
        send(otherHost, "DELETE", "/api/v1/packages/demo-lib", null),
        send(otherHost, "POST", "/api/v1/system/reboot", REBOOT),
        openJobEvents(otherHost),
        send(otherHost, "GET", "/api/v1/packages", null));
    for (TlsClient.Response response : refused) {
      assertThat(response.status()).as(response.body()).isEqualTo(403);
      JsonObject error = new JsonObject(response.body()).getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("AUTHZ_FORBIDDEN");
      assertThat(error.getString("message")).contains("host certificate").contains("authorization.allow_host_certificates");
      assertThat(error.getJsonObject("details").getString("reason")).isEqualTo("host_certificate");
    }
    // The agent's own server certificate is a host certificate too.
    assertThat(send(agent.pki.server, "POST", "/api/v1/system/reboot", REBOOT).status()).isEqualTo(403);

    assertThat(jobCount()).as("no job was created").isEqualTo(jobsBefore);
    assertThat(rebootMarker).doesNotExist();
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      List<JsonObject> records = agent.auditRecords().stream()
          .filter(r -> "request".equals(r.getString("event")))
          .filter(r -> fingerprint.equals(r.getJsonObject("client").getString("sha256")))
          .filter(r -> !r.getString("path").equals("/api/v1/system/info")) // the polls of configure()
          .toList();
      assertThat(records).extracting(r -> r.getString("method") + " " + r.getString("path")).containsExactlyInAnyOrder(
          "POST /api/v1/packages", "DELETE /api/v1/packages/demo-lib", "POST /api/v1/system/reboot",
          "GET /api/v1/ws/jobs", "GET /api/v1/packages");
      assertThat(records).allSatisfy(r -> {
        assertThat(r.getInteger("status")).isEqualTo(403);
        assertThat(r.getString("refusal")).isEqualTo("host_certificate");
        assertThat(r.getJsonObject("client").getString("cn")).isEqualTo("web-2.example.internal");
      });
    });

    // The same CA's client certificate is admin under the same rules: the refusal is about the kind of certificate.
    assertThat(send(agent.pki.client, "POST", "/api/v1/packages?dry_run=true", INSTALL).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("with authorization.allow_host_certificates: true the same host certificate installs, removes, reboots and opens the job-events socket")
  void allowedWhenConfigured() throws Exception {
    configure("authorization:\n  allow_host_certificates: true\n  clients:\n    \"*\": admin\n", 200);

    String install = submitted(send(otherHost, "POST", "/api/v1/packages", INSTALL));
    assertThat(finished(install).getString("status")).isEqualTo("completed");
    assertThat(finished(install).getJsonObject("requested_by").getString("cn")).isEqualTo("web-2.example.internal");
    String remove = submitted(send(otherHost, "DELETE", "/api/v1/packages/demo-app", null));
    assertThat(finished(remove).getString("status")).isEqualTo("completed");
    String reboot = submitted(send(otherHost, "POST", "/api/v1/system/reboot", REBOOT));
    assertThat(finished(reboot).getString("status")).isEqualTo("completed");
    assertThat(dir.resolve("data/reboot-requested")).exists();
    assertThat(openJobEvents(otherHost).status()).isEqualTo(101);
  }
}
