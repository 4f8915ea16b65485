package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.pki.PemFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CFG-3 and ENR at start-up, with the real command line: an agent without certificates and with
 * {@code enrollment.manager_url} enrolls first and then serves the manager's certificate; when the enrollment cannot
 * finish (the manager is unreachable) it exits 2 — certificates invalid, enrollment will be retried — and when the
 * manager denies it exits 1.
 */
@Tag("CFG-3")
class StartupEnrollmentTest {

  @TempDir
  Path dir;
  EnrollmentSetup setup;

  @BeforeEach
  void start() throws Exception {
    setup = new EnrollmentSetup(dir);
    setup.removeCertificates();
  }

  @AfterEach
  void stop() throws Exception {
    setup.close();
  }

  @Test
  @DisplayName("no certificates and manager_url set: the agent enrolls, then starts and serves the fleet CA's certificate")
  void enrollsThenStarts() throws Exception {
    setup.configure(setup.manager.url(), 10);
    setup.manager.statusAnswers.add(FleetManager.pending());
    try (ChildAgent agent = ChildAgent.start(setup.agent)) {
      try (TlsClient client = setup.agent.connect()) {
        assertThat(client.serverCertificate().getSerialNumber())
            .isEqualTo(PemFiles.readCertificates(setup.certificate()).get(0).getSerialNumber());
        client.serverCertificate().verify(setup.agent.pki.ca.publicKey());
      }
      assertThat(setup.manager.registrationsSeen()).hasSize(1);
      assertThat(agent.send("GET", "/health", null).getInteger("_status")).isEqualTo(200);
    }
    assertThat(setup.enrollmentRecords()).extracting(r -> r.getString("event")).containsSubsequence(
        "enrollment_requested", "enrollment_approved", "certificates_written");
  }

  @Test
  @DisplayName("the manager unreachable: exit 2 with the reason, nothing written; denied: exit 1")
  void exitCodes() throws Exception {
    setup.configure(setup.manager.url(), 2);
    setup.manager.down();
    Path log = dir.resolve("unreachable.log");
    int exit = setup.childRun(log, 60);
    String output = Files.readString(log);
    assertThat(exit).as(output).isEqualTo(2);
    assertThat(output).contains("enrolling with " + setup.manager.url())
        .contains("exit 2: certificates invalid, enrollment will be retried");
    assertThat(setup.certificate()).doesNotExist();

    setup.manager.up();
    setup.manager.statusAnswers.add(FleetManager.denied());
    Path deniedLog = dir.resolve("denied.log");
    int denied = setup.childRun(deniedLog, 60);
    assertThat(denied).as(Files.readString(deniedLog)).isEqualTo(1);
    assertThat(Files.readString(deniedLog)).contains("enrollment denied");
    assertThat(setup.certificate()).doesNotExist();
  }
}
