package io.linuxpatch.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.auth.TlsMaterial;
import io.linuxpatch.contract.health.HealthCheck;
import io.linuxpatch.contract.health.HealthStatus;
import io.linuxpatch.pki.CertificateAuthority;
import io.linuxpatch.pki.IssuedCertificate;
import io.linuxpatch.pki.LeafSpec;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("AuthVerticle publishes validated TLS material and keeps it when new files are broken")
class AuthVerticleTlsTest {

  /** Poll 1 s, reload once two polls agree, check: a replaced file is picked up within a few seconds. */
  private static final Duration RELOADS_WITHIN = Duration.ofSeconds(6);

  @TempDir
  Path dir;

  private Vertx vertx;
  private CertificateAuthority ca;
  private Path caPem;
  private Path certPem;
  private Path keyPem;
  private final List<TlsMaterial> published = new CopyOnWriteArrayList<>();
  private final List<HealthCheck> health = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    vertx = Vertx.vertx();
    vertx.eventBus().<TlsMaterial>localConsumer(Addresses.AUTH_TLS, m -> published.add(m.body()));
    vertx.eventBus().<HealthCheck>localConsumer(Addresses.HEALTH_CHECK, m -> health.add(m.body()));
    ca = CertificateAuthority.create("lpa test CA", Duration.ofDays(365));
    caPem = dir.resolve("ca.pem");
    certPem = dir.resolve("server.pem");
    keyPem = dir.resolve("server.key.pem");
    Files.writeString(caPem, new IssuedCertificate(ca.certificate(), ca.privateKey()).certificatePem());
    ca.issue(LeafSpec.server("agent.test")).writeTo(certPem, keyPem);
    Files.writeString(dir.resolve("whitelist.yaml"), "entries: [127.0.0.1]\n");
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private JsonObject tls() {
    return new JsonObject().put("ca_cert", caPem.toString()).put("server_cert", certPem.toString())
        .put("server_key", keyPem.toString());
  }

  private void deploy(JsonObject tls) {
    JsonObject config = new JsonObject().put("tls", tls)
        .put("whitelist", new JsonObject().put("path", dir.resolve("whitelist.yaml").toString()));
    vertx.deployVerticle(new AuthVerticle(), new DeploymentOptions().setConfig(config)).await();
  }

  private TlsMaterial current() {
    return vertx.eventBus().<TlsMaterial>request(Addresses.AUTH_TLS_CURRENT, null).await().body();
  }

  private HealthCheck lastHealth(String name) {
    HealthCheck found = null;
    for (HealthCheck check : health) {
      if (check.name().equals(name)) {
        found = check;
      }
    }
    return found;
  }

  @Test
  @DisplayName("at start-up the checked bytes are published and answered on request, with healthy checks")
  void publishesAtStart() throws IOException {
    deploy(tls());

    assertThat(published).hasSize(1);
    TlsMaterial material = current();
    assertThat(material).isSameAs(published.get(0));
    assertThat(material.generation()).isEqualTo(1);
    assertThat(material.serverCertPem().getBytes()).isEqualTo(Files.readAllBytes(certPem));
    assertThat(material.serverKeyPem().getBytes()).isEqualTo(Files.readAllBytes(keyPem));
    assertThat(material.caPem().getBytes()).isEqualTo(Files.readAllBytes(caPem));
    assertThat(material.crlPem()).isNull();
    assertThat(material.protocols()).containsExactly("TLSv1.3");

    assertThat(lastHealth("certificates").status()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(lastHealth("certificates").details().getLong("server_days_left")).isGreaterThan(700);
    assertThat(lastHealth("crl").status()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(lastHealth("crl").message()).startsWith("no CRL configured");
  }

  @Test
  @DisplayName("a replaced certificate and key are published as the next generation")
  void replacedCertificateIsPublished() throws IOException {
    deploy(tls());
    IssuedCertificate renewed = ca.issue(LeafSpec.server("agent.test"));
    renewed.writeTo(certPem, keyPem);

    await().atMost(RELOADS_WITHIN).until(() -> published.size() == 2);
    assertThat(current().generation()).isEqualTo(2);
    assertThat(current().serverCertPem().toString()).isEqualTo(renewed.certificatePem());
  }

  @Test
  @DisplayName("a broken replacement is rejected: the previous material stays and health says why")
  void brokenReplacementIsKept() throws IOException {
    deploy(tls());
    TlsMaterial before = current();
    Files.writeString(certPem, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");

    await().atMost(RELOADS_WITHIN).until(() -> lastHealth("certificates").status() == HealthStatus.DEGRADED);
    assertThat(lastHealth("certificates").message()).contains("rejected").contains("tls.server_cert");
    assertThat(current()).isSameAs(before);
    assertThat(published).hasSize(1);

    // A certificate from another CA is just as unusable.
    CertificateAuthority rogue = CertificateAuthority.create("lpa test CA", Duration.ofDays(365));
    rogue.issue(LeafSpec.server("agent.test")).writeTo(certPem, keyPem);
    await().atMost(RELOADS_WITHIN).until(() -> lastHealth("certificates").message().contains("same name"));
    assertThat(current()).isSameAs(before);

    // Fixing the files brings the agent back to healthy with a new generation.
    ca.issue(LeafSpec.server("agent.test")).writeTo(certPem, keyPem);
    await().atMost(RELOADS_WITHIN).until(() -> lastHealth("certificates").status() == HealthStatus.HEALTHY);
    assertThat(current().generation()).isEqualTo(2);
  }

  @Test
  @DisplayName("a configured CRL that is missing is an error: no material, and the request says why")
  void missingCrlIsAnError() {
    deploy(tls().put("crl_path", dir.resolve("missing.crl").toString()));

    assertThat(published).isEmpty();
    assertThatThrownBy(this::current).isInstanceOfSatisfying(ReplyException.class, e -> {
      assertThat(e.failureCode()).isEqualTo(503);
      assertThat(e.getMessage()).contains("tls.crl_path").contains("does not exist");
    });
    assertThat(lastHealth("crl").status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(lastHealth("certificates").message()).startsWith("no usable certificates");
  }

  @Test
  @DisplayName("a current CRL is served with the material; a stale one degrades the crl check only")
  void crlHealth() throws IOException {
    Path crl = dir.resolve("ca.crl");
    Instant now = Instant.now();
    Files.writeString(crl, ca.crlPem(List.of(BigInteger.TEN), now.minusSeconds(60), now.plus(Duration.ofDays(7))));
    deploy(tls().put("crl_path", crl.toString()));

    assertThat(current().crlPem().getBytes()).isEqualTo(Files.readAllBytes(crl));
    assertThat(lastHealth("crl").status()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(lastHealth("crl").details().getInteger("revoked")).isEqualTo(1);
    assertThat(lastHealth("crl").details().getString("next_update")).isNotNull();

    Files.writeString(crl, ca.crlPem(List.of(), now.minus(Duration.ofDays(8)), now.minus(Duration.ofDays(1))));
    await().atMost(RELOADS_WITHIN).until(() -> lastHealth("crl").status() == HealthStatus.DEGRADED);
    assertThat(lastHealth("crl").message()).contains("stale");
    assertThat(lastHealth("certificates").status()).isEqualTo(HealthStatus.HEALTHY);
  }

  @Test
  @DisplayName("a message on lpa.health.resync publishes both checks again")
  void resync() {
    deploy(tls());
    int before = health.size();
    vertx.eventBus().publish(Addresses.HEALTH_RESYNC, null);
    await().atMost(Duration.ofSeconds(2)).until(() -> health.size() == before + 2);
    assertThat(health.subList(before, before + 2)).extracting(HealthCheck::name).containsExactly("certificates", "crl");
  }

  @Test
  @DisplayName("the certificates check shows the renewal state the enrollment verticle publishes: renewing, failing since, renewed")
  void showsRenewalState() {
    deploy(tls());
    io.linuxpatch.contract.LocalCodec.register(vertx.eventBus(), io.linuxpatch.contract.enrollment.RenewalStatus.class);
    Instant since = Instant.parse("2026-11-20T10:00:00Z");
    vertx.eventBus().publish(Addresses.ENROLLMENT_STATUS, new io.linuxpatch.contract.enrollment.RenewalStatus(
        io.linuxpatch.contract.enrollment.RenewalStatus.State.RENEWING, since, null, null, null));
    await().atMost(Duration.ofSeconds(5)).until(() -> lastHealth("certificates").details().containsKey("renewal"));
    assertThat(lastHealth("certificates").message()).contains("renewing with the fleet manager since 2026-11-20T10:00:00Z");
    assertThat(lastHealth("certificates").details().getJsonObject("renewal").getString("state")).isEqualTo("renewing");
    assertThat(lastHealth("certificates").status()).isEqualTo(HealthStatus.HEALTHY);

    vertx.eventBus().publish(Addresses.ENROLLMENT_STATUS, new io.linuxpatch.contract.enrollment.RenewalStatus(
        io.linuxpatch.contract.enrollment.RenewalStatus.State.FAILING, since, "the manager is unreachable", null, null));
    await().atMost(Duration.ofSeconds(5)).until(() -> lastHealth("certificates").status() == HealthStatus.DEGRADED);
    assertThat(lastHealth("certificates").message()).contains("renewal failing since 2026-11-20T10:00:00Z: the "
        + "manager is unreachable");

    Instant renewed = Instant.parse("2026-11-21T08:00:00Z");
    vertx.eventBus().publish(Addresses.ENROLLMENT_STATUS, new io.linuxpatch.contract.enrollment.RenewalStatus(
        io.linuxpatch.contract.enrollment.RenewalStatus.State.OK, renewed, null, renewed, null));
    await().atMost(Duration.ofSeconds(5)).until(() -> lastHealth("certificates").status() == HealthStatus.HEALTHY);
    assertThat(lastHealth("certificates").message()).contains("renewed 2026-11-21T08:00:00Z");
    assertThat(lastHealth("certificates").details().getJsonObject("renewal").getString("last_renewed"))
        .isEqualTo("2026-11-21T08:00:00Z");
  }
}
