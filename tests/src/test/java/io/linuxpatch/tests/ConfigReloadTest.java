package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CFG-2 and SEC-6 end to end: the config file is watched, invalid changes are rejected as a whole. */
@Tag("CFG-2")
@Tag("SEC-6")
class ConfigReloadTest {

  @TempDir
  Path dir;
  AgentUnderTest agent;

  @BeforeEach
  void start() throws Exception {
    agent = new AgentUnderTest(dir).start();
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  private JsonObject health() throws Exception {
    try (TlsClient client = agent.connect()) {
      return new JsonObject(client.get("/health").body()).getJsonObject("data");
    }
  }

  @Test
  @DisplayName("a valid authorization change applies without restart: an unlisted client gets 403 AUTHZ_FORBIDDEN")
  void authorizationReload() throws Exception {
    agent.writeConfig("""
        authorization:
          clients:
            "ops-*": admin
        """);
    await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      try (TlsClient client = agent.connect()) {
        TlsClient.Response response = client.get("/api/v1/system/info");
        assertThat(response.status()).isEqualTo(403);
        assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code"))
            .isEqualTo("AUTHZ_FORBIDDEN");
      }
    });
  }

  @Test
  @DisplayName("a read role may GET but not plan a change, not even through a path the router would normalise")
  void readRole() throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.generation("allowlist_reload") > 0);
    long before = agent.generation("allowlist_reload");
    agent.writeConfig("""
        authorization:
          clients:
            "test-*": read
        """);
    // The new rules are in force once auth has published them: its record names the policy's new generation.
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.generation("allowlist_reload") > before);
    try (TlsClient client = agent.connect()) {
      assertThat(client.get("/api/v1/system/info").status()).isEqualTo(200);
      String body = "{\"packages\":[{\"name\":\"demo-app\"}]}";
      assertThat(client.exchange("POST", "/api/v1/packages?dry_run=true", body, "Content-Type: application/json")
          .status()).isEqualTo(403);
      for (String sneaky : java.util.List.of("/api/v1/p%61ckages", "/api/v1/x/../packages", "/api/v1//packages",
          "/api/v1/./packages", "/api/v1/packages/")) {
        TlsClient.Response response = client.exchange("POST", sneaky + "?dry_run=true", body,
            "Content-Type: application/json");
        assertThat(response.status()).as(sneaky).isEqualTo(404);
      }
    }
  }

  @Test
  @DisplayName("an invalid config keeps the last good one and the config check says why")
  void invalidKeepsLastGood() throws Exception {
    agent.writeConfig("""
        authorization:
          clients:
            "ops-*": superuser
        bogus_section: 1
        """);
    await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      JsonObject config = health().getJsonObject("checks").getJsonObject("config");
      assertThat(config.getString("status")).isEqualTo("degraded");
      assertThat(config.getJsonObject("details").encode())
          .contains("authorization.clients.ops-*").contains("bogus_section: unknown key");
    });
    try (TlsClient client = agent.connect()) {
      // The last good config has no authorization section: clients may read, so this is still 200 (the rejected
      // rules would have left test-client without a role: 403).
      assertThat(client.get("/api/v1/system/info").status()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("undoing a rejected edit brings the config check back to healthy within the reload interval")
  void undoneEditHealthy() throws Exception {
    agent.writeConfig("bogus_section: 1\n");
    await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
        assertThat(health().getJsonObject("checks").getJsonObject("config").getString("status")).isEqualTo("degraded"));

    // The file says again exactly what the running agent uses: nothing to reload, but nothing wrong either.
    agent.writeConfig("");
    await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      JsonObject config = health().getJsonObject("checks").getJsonObject("config");
      assertThat(config.getString("status")).isEqualTo("healthy");
      assertThat(config.getJsonObject("details").containsKey("problems")).isFalse();
    });
  }

  @Test
  @DisplayName("a replaced server certificate is served to new connections without restart; a broken one is not")
  void certificateReload() throws Exception {
    java.math.BigInteger before;
    try (TlsClient client = agent.connect()) {
      before = client.serverCertificate().getSerialNumber();
    }
    io.linuxpatch.pki.IssuedCertificate renewed = agent.pki.ca.issue(io.linuxpatch.pki.LeafSpec.server("localhost"));
    renewed.writeTo(agent.pki.dir.resolve("server.pem"), agent.pki.dir.resolve("server.key.pem"));
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      try (TlsClient client = agent.connect()) {
        assertThat(client.serverCertificate().getSerialNumber()).isEqualTo(renewed.certificate().getSerialNumber());
      }
    });
    assertThat(renewed.certificate().getSerialNumber()).isNotEqualTo(before);

    AgentUnderTest.write(agent.pki.dir.resolve("server.pem"), "-----BEGIN CERTIFICATE-----\ngarbage\n");
    Thread.sleep(3_000); // three polls of the certificate watcher: it has seen the broken file
    try (TlsClient client = agent.connect()) {
      assertThat(client.serverCertificate().getSerialNumber()).isEqualTo(renewed.certificate().getSerialNumber());
      assertThat(client.get("/health").status()).isEqualTo(200);
    }
  }
}
