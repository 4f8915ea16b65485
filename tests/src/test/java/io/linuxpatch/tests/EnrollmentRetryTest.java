package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.pki.CertificateAuthority;
import io.linuxpatch.pki.LeafSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How enrollment copes with the manager (ENR): a lost token registers again once, 5xx and network errors back off
 * exponentially with jitter (measured), 429 waits for Retry-After, a manager that is down at first is reached once
 * it is up, and a manager whose certificate is not trusted is refused at once, without a retry.
 */
class EnrollmentRetryTest {

  @TempDir
  Path dir;
  EnrollmentSetup setup;

  @BeforeEach
  void start() throws Exception {
    setup = new EnrollmentSetup(dir);
    setup.configure(null, 10);
  }

  @AfterEach
  void stop() throws Exception {
    setup.close();
  }

  private static long gapMillis(List<FleetManager.Seen> requests, int i) {
    return Duration.between(requests.get(i - 1).at(), requests.get(i).at()).toMillis();
  }

  @Test
  @DisplayName("a token the manager no longer knows (HTTP 404) is registered again, once; a second loss ends it with exit 1")
  void goneTokenRegistersOnce() throws Exception {
    setup.manager.statusAnswers.add(FleetManager.gone());
    EnrollmentSetup.Run run = setup.cli("--enroll", setup.manager.url());
    assertThat(run.exit()).as(run.all()).isZero();
    assertThat(setup.manager.registrationsSeen()).hasSize(2);
    assertThat(setup.manager.tokens()).hasSize(2);

    setup.manager.seen.clear();
    setup.manager.statusAnswers.add(FleetManager.gone());
    setup.manager.statusAnswers.add(FleetManager.answer(200, new io.vertx.core.json.JsonObject()
        .put("status", "not_found")));
    Map<String, String> before = setup.snapshot();
    EnrollmentSetup.Run twice = setup.cli("--enroll", setup.manager.url());
    assertThat(twice.exit()).isEqualTo(1);
    assertThat(twice.errLines().get(0)).contains("lost this host's registration twice");
    assertThat(setup.manager.registrationsSeen()).hasSize(2);
    assertThat(setup.snapshot()).isEqualTo(before);
  }

  @Test
  @DisplayName("5xx answers back off 1 s, 2 s, 4 s (±20 % jitter, measured at the manager); a 429 with Retry-After: 2 pauses the polls 2 s")
  void backoffTiming() throws Exception {
    for (int i = 0; i < 3; i++) {
      setup.manager.enrollAnswers.add(FleetManager.serverError());
    }
    setup.manager.statusAnswers.add(FleetManager.tooMany(2));
    setup.manager.statusAnswers.add(FleetManager.serverError());
    EnrollmentSetup.Run run = setup.cli("--enroll", setup.manager.url());
    assertThat(run.exit()).as(run.all()).isZero();

    List<FleetManager.Seen> registrations = setup.manager.registrationsSeen();
    assertThat(registrations).hasSize(4);
    long[] expected = {1_000, 2_000, 4_000};
    for (int i = 1; i <= 3; i++) {
      // at least the jittered back-off (the lower bounds double: 800, 1600, 3200 ms); the upper bound leaves room
      // for a busy machine
      assertThat(gapMillis(registrations, i)).as("registration gap %d", i)
          .isBetween((long) (expected[i - 1] * 0.8) - 50, (long) (expected[i - 1] * 1.2) + 1_500);
    }

    List<FleetManager.Seen> polls = setup.manager.pollsSeen();
    assertThat(polls).hasSize(3); // 429, 503, approved
    assertThat(gapMillis(polls, 1)).as("after 429 Retry-After: 2").isBetween(1_950L, 3_500L);
    assertThat(gapMillis(polls, 2)).as("after the first 503: the polling interval ±20 %").isBetween(750L, 2_700L);
    assertThat(run.all()).contains("HTTP 503 (maintenance)").contains("(429)");
  }

  @Test
  @DisplayName("a 429 to the registration is retried after the time its Retry-After names")
  void registrationRetryAfter() throws Exception {
    setup.manager.enrollAnswers.add(FleetManager.tooMany(1));
    EnrollmentSetup.Run run = setup.cli("--enroll", setup.manager.url());
    assertThat(run.exit()).as(run.all()).isZero();
    List<FleetManager.Seen> registrations = setup.manager.registrationsSeen();
    assertThat(registrations).hasSize(2);
    assertThat(gapMillis(registrations, 1)).isBetween(950L, 3_000L);
  }

  @Test
  @DisplayName("409 already registered: resumed with the token the answer names; without one, exit 1 saying what to do, nothing changed")
  void alreadyRegistered() throws Exception {
    setup.manager.enrollAnswers.add((request, manager, registration) -> {
      manager.registrations.put(registration.token(), registration);
      FleetManager.json(request, 409, new io.vertx.core.json.JsonObject().put("polling_token", registration.token()));
    });
    EnrollmentSetup.Run run = setup.cli("--enroll", setup.manager.url());
    assertThat(run.exit()).as(run.all()).isZero();
    assertThat(setup.manager.registrationsSeen()).hasSize(1);
    assertThat(setup.manager.pollsSeen()).hasSize(1);

    Map<String, String> before = setup.snapshot();
    setup.manager.enrollAnswers.add(FleetManager.answer(409, new io.vertx.core.json.JsonObject()
        .put("error", "machine already registered")));
    EnrollmentSetup.Run conflict = setup.cli("--enroll", setup.manager.url());
    assertThat(conflict.exit()).isEqualTo(1);
    assertThat(conflict.errLines()).hasSize(1);
    assertThat(conflict.errLines().get(0)).contains("registered already (HTTP 409)")
        .contains("remove the host's registration on the manager");
    assertThat(setup.snapshot()).isEqualTo(before);
  }

  @Test
  @DisplayName("a manager that is down at first is reached once it is up: the registration backs off and then succeeds")
  void managerDownThenUp() throws Exception {
    setup.manager.down();
    Instant started = Instant.now();
    ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    try {
      later.schedule(() -> {
        setup.manager.up();
        return null;
      }, 3, TimeUnit.SECONDS);
      EnrollmentSetup.Run run = setup.cli("--enroll", setup.manager.url());
      assertThat(run.exit()).as(run.all()).isZero();
      assertThat(run.all()).contains("the registration failed").contains("next attempt in");
      assertThat(setup.manager.registrationsSeen()).hasSize(1);
      assertThat(setup.manager.registrationsSeen().get(0).at()).isAfter(started.plusSeconds(3));
    } finally {
      later.shutdownNow();
    }
  }

  @Test
  @DisplayName("a manager certificate of another CA, for another name, or checked against the system trust store is refused at once: exit 1, no request reached it, nothing changed")
  void untrustedManagerRefused() throws Exception {
    Map<String, String> before = setup.snapshot();
    CertificateAuthority rogue = CertificateAuthority.create("fleet manager TLS CA", Duration.ofDays(30));
    try (FleetManager impostor = FleetManager.https(dir.resolve("impostor"), setup.agent.pki.ca, rogue,
        rogue.issue(LeafSpec.server("fleet-manager").withDnsNames().withIpAddresses(EnrollmentSetup.MANAGER_IP)),
        EnrollmentSetup.MANAGER_IP)) {
      // manager_ca names the real manager's CA; the impostor's certificate carries the same CA name
      Instant t0 = Instant.now();
      EnrollmentSetup.Run run = setup.cli("--enroll", impostor.url());
      assertThat(run.exit()).isEqualTo(1);
      assertThat(Duration.between(t0, Instant.now())).as("no retry").isLessThan(Duration.ofSeconds(8));
      assertThat(run.errLines()).hasSize(1);
      assertThat(run.errLines().get(0)).contains("TLS certificate was refused").contains("enrollment.manager_ca");
      assertThat(impostor.seen).isEmpty();
    }
    try (FleetManager wrongName = FleetManager.https(dir.resolve("wrong-name"), setup.agent.pki.ca,
        setup.manager.tlsCa, setup.manager.tlsCa.issue(LeafSpec.server("elsewhere.example").withDnsNames(
            "elsewhere.example").withIpAddresses()), EnrollmentSetup.MANAGER_IP)) {
      EnrollmentSetup.Run run = setup.cli("--enroll", wrongName.url());
      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.errLines().get(0)).contains("TLS certificate was refused");
      assertThat(wrongName.seen).isEmpty();
    }
    setup.agent.writeConfig("enrollment:\n  polling_interval_seconds: 1\n");
    EnrollmentSetup.Run systemTrust = setup.cli("--enroll", setup.manager.url());
    assertThat(systemTrust.exit()).isEqualTo(1);
    assertThat(systemTrust.errLines().get(0)).contains("TLS certificate was refused");
    assertThat(setup.manager.seen).isEmpty();
    setup.agent.writeConfig("");
    before.put("whitelist.yaml", before.get("whitelist.yaml"));
    assertThat(setup.snapshot()).isEqualTo(before);
  }
}
