package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.linuxpatch.pki.PemFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ENR with real processes: {@code --enroll} killed (SIGKILL) while it polls resumes, at the next run, with the same
 * polling token and the same key — no second registration — and the token, stored 0600 meanwhile, appears in no
 * output (debug logging on), no audit record and no answer.
 */
class EnrollmentRestartTest {

  @TempDir
  Path dir;
  EnrollmentSetup setup;

  @BeforeEach
  void start() throws Exception {
    setup = new EnrollmentSetup(dir);
    setup.configure(null, 60);
  }

  @AfterEach
  void stop() throws Exception {
    setup.close();
  }

  @Test
  @DisplayName("killed while polling, the next --enroll resumes the same token with the same key; the token is in no log line, audit record or answer")
  void restartResumesTheToken() throws Exception {
    setup.manager.holding = true;
    Path firstLog = dir.resolve("first.log");
    Process first = setup.child(firstLog, "--enroll", setup.manager.url(), "--verbose");
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> setup.manager.pollsSeen().size() >= 2);
    } finally {
      first.destroyForcibly();
      first.waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(setup.manager.registrationsSeen()).hasSize(1);
    String token = setup.manager.tokens().get(0);
    Path stored = dir.resolve("data/enrollment/polling-token.json");
    assertThat(Files.readString(stored)).contains(token);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(
        "data/enrollment/pending.key.pem")))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data/enrollment"))))
        .isEqualTo("rwx------");

    int seenBefore = setup.manager.seen.size();
    setup.manager.statusAnswers.add(FleetManager.serverError()); // an error text that could carry the URL
    setup.manager.statusAnswers.add(FleetManager.pending());
    setup.manager.holding = false;
    Path secondLog = dir.resolve("second.log");
    int exit = setup.childRun(secondLog, 60, "--enroll", setup.manager.url(), "--verbose");
    assertThat(exit).as(Files.readString(secondLog)).isZero();

    List<FleetManager.Seen> after = setup.manager.seen.subList(seenBefore, setup.manager.seen.size());
    assertThat(after).isNotEmpty().allSatisfy(request -> {
      assertThat(request.method()).isEqualTo("GET");
      assertThat(request.path()).isEqualTo("/api/v1/enroll/status/" + token);
    });
    assertThat(setup.manager.registrationsSeen()).as("no second registration").hasSize(1);
    FleetManager.Registration registration = setup.manager.registrations.get(token);
    assertThat(PemFiles.readCertificates(setup.certificate()).get(0).getPublicKey())
        .as("the key of the first run's CSR").isEqualTo(registration.csrKey());
    assertThat(stored).doesNotExist();
    assertThat(Files.readString(secondLog)).contains("resuming the registration");

    assertThat(Files.readString(firstLog)).isNotBlank().doesNotContain(token);
    assertThat(Files.readString(secondLog)).contains("HTTP 503").doesNotContain(token);
    assertThat(Files.readString(dir.resolve("log/audit.jsonl"))).contains("enrollment_pending").doesNotContain(token);

    setup.agent.start();
    try (TlsClient client = setup.agent.connect()) {
      assertThat(client.get("/health").body()).doesNotContain(token);
    }
  }
}
