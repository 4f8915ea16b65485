package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.linuxpatch.pki.IssuedCertificate;
import io.linuxpatch.pki.LeafSpec;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renewal without downtime (ENR, CFG-4) against a real agent process: a certificate inside
 * {@code cert_renewal_threshold_days} is renewed in the background while clients keep sending requests — on
 * kept-alive connections and on new ones — with zero failed requests; new connections get the new certificate; the
 * renewal presented the old certificate as its TLS client certificate; /health, the metric and the audit log show
 * it; {@code --renew-certs} renews alone or through the running agent.
 */
@Tag("CFG-4")
class RenewalTest {

  @TempDir
  Path dir;
  EnrollmentSetup setup;

  @BeforeEach
  void start() throws Exception {
    setup = new EnrollmentSetup(dir);
  }

  @AfterEach
  void stop() throws Exception {
    setup.close();
  }

  /** Replaces the agent's certificate with one of the fleet CA that expires in {@code left}. */
  private IssuedCertificate certificateExpiringIn(Duration left) throws Exception {
    Instant now = Instant.now();
    IssuedCertificate issued = setup.agent.pki.ca.issue(LeafSpec.server("localhost")
        .withValidity(now.minus(Duration.ofHours(1)), now.plus(left)));
    issued.writeTo(setup.certificate(), setup.key());
    return issued;
  }

  private static JsonObject certificatesCheck(ChildAgent agent) throws Exception {
    return agent.send("GET", "/health", null).getJsonObject("data").getJsonObject("checks")
        .getJsonObject("certificates");
  }

  /** Sends requests until stopped and counts them; any failure is kept with what failed. */
  private static final class Load {
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicInteger ok = new AtomicInteger();
    final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    final Set<BigInteger> servedToNewConnections = ConcurrentHashMap.newKeySet();
    final Set<BigInteger> servedToKeptConnections = ConcurrentHashMap.newKeySet();
    final AtomicInteger keptAliveAfterSwitch = new AtomicInteger();
    final AtomicReference<BigInteger> newSerial = new AtomicReference<>();
    final List<Thread> threads = new ArrayList<>();

    Load(AgentUnderTest agent) {
      for (int i = 0; i < 2; i++) {
        String path = i == 0 ? "/health" : "/api/v1/jobs?limit=1";
        threads.add(new Thread(() -> keptAlive(agent, path), "kept-alive-" + i));
        threads.add(new Thread(() -> newConnections(agent, path), "new-connections-" + i));
      }
      threads.forEach(Thread::start);
    }

    private void keptAlive(AgentUnderTest agent, String path) {
      try (TlsClient client = agent.connect()) {
        BigInteger serial = client.serverCertificate().getSerialNumber();
        servedToKeptConnections.add(serial);
        while (running.get()) {
          TlsClient.Response response = client.get(path);
          if (response.status() != 200) {
            failures.add(path + " on a kept connection: " + response.status() + " " + response.body());
          } else {
            ok.incrementAndGet();
            if (newSerial.get() != null) {
              keptAliveAfterSwitch.incrementAndGet();
            }
          }
        }
      } catch (Exception e) {
        failures.add(path + " on a kept connection: " + e);
      }
    }

    private void newConnections(AgentUnderTest agent, String path) {
      while (running.get()) {
        try (TlsClient client = agent.connect()) {
          servedToNewConnections.add(client.serverCertificate().getSerialNumber());
          TlsClient.Response response = client.get(path);
          if (response.status() != 200) {
            failures.add(path + " on a new connection: " + response.status() + " " + response.body());
          } else {
            ok.incrementAndGet();
          }
        } catch (Exception e) {
          failures.add(path + " on a new connection: " + e);
        }
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join(10_000);
      }
    }
  }

  @Test
  @DisplayName("a certificate inside the threshold is renewed in the background under load: zero failed requests, new connections get the new certificate, the old one was presented to the manager, and health, metric and audit say so without the token")
  void renewsUnderLoad() throws Exception {
    IssuedCertificate old = certificateExpiringIn(Duration.ofDays(3));
    setup.configure(setup.manager.url(), 60);
    setup.manager.holding = true;
    try (ChildAgent agent = ChildAgent.start(setup.agent)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> setup.manager.pollsSeen().size() >= 1);
      JsonObject renewing = certificatesCheck(agent);
      assertThat(renewing.getString("status")).isEqualTo("degraded");
      assertThat(renewing.getJsonObject("details").getJsonObject("renewal").getString("state")).isEqualTo("renewing");
      assertThat(renewing.getString("message")).contains("renewing with the fleet manager since");

      Load load = new Load(setup.agent);
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> load.ok.get() > 40);
        setup.manager.holding = false;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
            load.servedToNewConnections.stream().anyMatch(s -> !s.equals(old.certificate().getSerialNumber())));
        load.newSerial.set(load.servedToNewConnections.stream()
            .filter(s -> !s.equals(old.certificate().getSerialNumber())).findFirst().orElseThrow());
        int atSwitch = load.ok.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> load.ok.get() > atSwitch + 40
            && load.keptAliveAfterSwitch.get() > 10);
      } finally {
        load.stop();
      }
      System.out.printf("renewal under load: %d requests answered 200, %d failed; %d on kept-alive connections after "
          + "the switch; new connections saw serials %s%n", load.ok.get(), load.failures.size(),
          load.keptAliveAfterSwitch.get(), load.servedToNewConnections);
      assertThat(load.failures).as("failed requests").isEmpty();
      assertThat(load.servedToNewConnections).contains(old.certificate().getSerialNumber(), load.newSerial.get());
      assertThat(load.servedToKeptConnections).containsOnly(old.certificate().getSerialNumber());
      try (TlsClient client = setup.agent.connect()) {
        assertThat(client.serverCertificate().getSerialNumber()).isEqualTo(load.newSerial.get());
      }

      FleetManager.Seen registration = setup.manager.registrationsSeen().get(0);
      assertThat(registration.clientCertificate()).as("the renewal presents the current certificate").isNotNull();
      assertThat(registration.clientCertificate().getSerialNumber()).isEqualTo(old.certificate().getSerialNumber());
      assertThat(Files.readString(setup.certificate().resolveSibling("server.pem.bak")))
          .isEqualTo(old.certificatePem());

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        JsonObject renewed = certificatesCheck(agent);
        assertThat(renewed.getString("status")).isEqualTo("healthy");
        assertThat(renewed.getJsonObject("details").getLong("server_days_left")).isGreaterThan(80);
        assertThat(renewed.getJsonObject("details").getJsonObject("renewal").getString("state")).isEqualTo("ok");
        assertThat(renewed.getJsonObject("details").getJsonObject("renewal").getString("last_renewed")).isNotNull();
      });
      String metrics;
      try (TlsClient client = setup.agent.connect()) {
        metrics = client.get("/metrics").body();
      }
      double expirySeconds = metrics.lines().filter(l -> l.startsWith("lpa_certificate_expiry_seconds"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
      assertThat(expirySeconds).isGreaterThan(Duration.ofDays(80).toSeconds());

      String token = setup.manager.tokens().get(0);
      List<JsonObject> records = setup.enrollmentRecords();
      assertThat(records).extracting(r -> r.getString("event")).contains("enrollment_requested",
          "enrollment_approved", "certificates_written");
      assertThat(records.get(0).getString("kind")).isEqualTo("renew");
      assertThat(records.get(0).getString("client_certificate_serial"))
          .isEqualTo(old.certificate().getSerialNumber().toString(16));
      assertThat(Files.readString(dir.resolve("log/audit.jsonl"))).doesNotContain(token);
      assertThat(certificatesCheck(agent).encode()).doesNotContain(token);
      try (Stream<Path> logs = Files.list(dir)) {
        for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("agent-")).toList()) {
          assertThat(Files.readString(log)).contains("renewing the server certificate").doesNotContain(token);
        }
      }
    }
  }

  @Test
  @DisplayName("--renew-certs beside a running agent asks it to renew now (exit 0), and the agent serves the new certificate")
  void renewCertsThroughTheRunningAgent() throws Exception {
    IssuedCertificate current = certificateExpiringIn(Duration.ofDays(60));
    setup.configure(setup.manager.url(), 30);
    try (ChildAgent agent = ChildAgent.start(setup.agent)) {
      JsonObject before = certificatesCheck(agent);
      assertThat(before.getJsonObject("details").getJsonObject("renewal").getString("state")).isEqualTo("ok");
      assertThat(setup.manager.seen).as("not inside the threshold: no renewal by itself").isEmpty();
      EnrollmentSetup.Run run = setup.cli("--renew-certs");
      assertThat(run.exit()).as(run.all()).isZero();
      assertThat(run.err()).contains("an agent (pid " + agent.pid() + ") is running on this data directory: asked it "
          + "to renew now");
      assertThat(run.out()).contains("the running agent renewed: certificate");
      assertThat(setup.manager.registrationsSeen().get(0).clientCertificate().getSerialNumber())
          .isEqualTo(current.certificate().getSerialNumber());
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        try (TlsClient client = setup.agent.connect()) {
          assertThat(client.serverCertificate().getSerialNumber()).isNotEqualTo(current.certificate().getSerialNumber());
        }
      });
    }
  }

  @Test
  @DisplayName("--renew-certs with no agent running renews alone, presenting the current certificate; without manager_url it exits 1")
  void renewCertsAlone() throws Exception {
    setup.configure(null, 30);
    EnrollmentSetup.Run unconfigured = setup.cli("--renew-certs");
    assertThat(unconfigured.exit()).isEqualTo(1);
    assertThat(unconfigured.errLines()).hasSize(1);
    assertThat(unconfigured.errLines().get(0)).contains("needs enrollment.manager_url");

    IssuedCertificate current = certificateExpiringIn(Duration.ofDays(60));
    setup.configure(setup.manager.url(), 30);
    EnrollmentSetup.Run run = setup.cli("--renew-certs");
    assertThat(run.exit()).as(run.all()).isZero();
    assertThat(run.out()).contains("renewed with " + setup.manager.url());
    assertThat(setup.manager.registrationsSeen().get(0).clientCertificate().getSerialNumber())
        .isEqualTo(current.certificate().getSerialNumber());
    assertThat(setup.enrollmentRecords()).extracting(r -> r.getString("kind")).containsOnly("renew");
  }
}
