package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.auth.allowlist.AllowListFile;
import io.linuxpatch.auth.allowlist.HostResolver;
import io.linuxpatch.pki.CertificateAuthority;
import io.linuxpatch.pki.IssuedCertificate;
import io.linuxpatch.pki.LeafSpec;
import io.linuxpatch.pki.PemFiles;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --enroll URL} against a real HTTPS fleet manager (ENR, CFG-3): the CSR goes out and the key stays, the
 * files, modes, backups and allow-list come out right, and every refusal — denied, bad or foreign material, an
 * agent already running — exits 1 with one line and changes nothing.
 */
@Tag("CFG-3")
class EnrollCommandTest {

  @TempDir
  Path dir;
  EnrollmentSetup setup;

  @BeforeEach
  void start() throws Exception {
    setup = new EnrollmentSetup(dir);
    Files.writeString(setup.agent.whitelistFile, """
        # who may call this agent (SEC-4)
        entries:
          - "127.0.0.1"   # this host
          # IPv6 loopback
          - "::1"
        """);
    setup.configure(null, 10);
  }

  @AfterEach
  void stop() throws Exception {
    setup.close();
  }

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  private static X509Certificate certificate(Path file) throws Exception {
    return PemFiles.readCertificates(file).get(0);
  }

  @Test
  @DisplayName("from nothing: the CSR is sent, the key never leaves, key 0600 / certificates 0644, the allow-list gains the manager and stays valid; a second enrollment keeps the first as .bak; the agent then serves it, also to the manager's address")
  void enrollsFromNothing() throws Exception {
    setup.removeCertificates();
    setup.manager.statusAnswers.add(FleetManager.pending());
    EnrollmentSetup.Run run = setup.cli("--enroll", setup.manager.url());
    assertThat(run.exit()).as(run.all()).isZero();
    assertThat(run.out()).contains("enrolled with " + setup.manager.url()).contains("installed");

    FleetManager.Seen registration = setup.manager.registrationsSeen().get(0);
    JsonObject body = registration.json();
    assertThat(body.fieldNames()).contains("machine_id", "fqdn", "ip_address", "os_details", "hostname", "csr");
    assertThat(body.getString("csr")).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
    assertThat(registration.clientCertificate()).as("a first enrollment presents no certificate").isNull();
    for (FleetManager.Seen request : setup.manager.seen) {
      assertThat(request.body()).doesNotContain("PRIVATE KEY");
    }
    X509Certificate installed = certificate(setup.certificate());
    FleetManager.Registration answered = setup.manager.registrations.values().iterator().next();
    assertThat(installed.getPublicKey()).as("the certificate is for the key of the CSR").isEqualTo(answered.csrKey());
    assertThat(io.linuxpatch.pki.KeyMatch.mismatch(installed.getPublicKey(), PemFiles.readPrivateKey(setup.key())))
        .isEmpty();
    installed.verify(setup.agent.pki.ca.publicKey());
    assertThat(mode(setup.key())).isEqualTo("rw-------");
    assertThat(mode(setup.certificate())).isEqualTo("rw-r--r--");
    assertThat(mode(setup.caFile())).isEqualTo("rw-r--r--");
    try (Stream<Path> files = Files.list(setup.agent.pki.dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".bak"));
    }

    String allowList = Files.readString(setup.agent.whitelistFile);
    assertThat(allowList).startsWith("# who may call this agent (SEC-4)\nentries:\n  - \"127.0.0.1\"   # this host\n"
        + "  # IPv6 loopback\n  - \"::1\"\n").contains("- \"" + EnrollmentSetup.MANAGER_IP + "\"");
    AllowListFile.Valid valid = (AllowListFile.Valid) new AllowListFile(HostResolver.SYSTEM).parse(allowList);
    assertThat(valid.entries()).containsExactly("127.0.0.1", "::1", EnrollmentSetup.MANAGER_IP);
    assertThat(setup.agent.dir.resolve("data/enrollment/polling-token.json")).doesNotExist();
    assertThat(setup.enrollmentRecords()).extracting(r -> r.getString("event")).containsExactly(
        "enrollment_requested", "enrollment_pending", "enrollment_approved", "certificates_written");
    assertThat(setup.enrollmentRecords().get(2).getString("key_source")).isEqualTo("agent");

    // Again, over the files the first enrollment wrote: they are kept as .bak, byte for byte, modes kept.
    Map<String, String> first = setup.snapshot();
    EnrollmentSetup.Run again = setup.cli("--enroll", setup.manager.url());
    assertThat(again.exit()).as(again.all()).isZero();
    assertThat(Files.readString(setup.certificate().resolveSibling("server.pem.bak"))).isEqualTo(first.get("server.pem"));
    assertThat(Files.readString(setup.key().resolveSibling("server.key.pem.bak"))).isEqualTo(first.get("server.key.pem"));
    assertThat(mode(setup.key().resolveSibling("server.key.pem.bak"))).isEqualTo("rw-------");
    assertThat(certificate(setup.certificate()).getSerialNumber()).isNotEqualTo(installed.getSerialNumber());
    assertThat(Files.readString(setup.agent.whitelistFile)).as("the manager is allowed already").isEqualTo(allowList);

    // The agent starts on them and serves the fleet CA's certificate, to the manager's address too.
    BigInteger serial = certificate(setup.certificate()).getSerialNumber();
    setup.agent.start();
    try (TlsClient client = TlsClient.connect(setup.agent.clientContext(), EnrollmentSetup.MANAGER_IP,
        setup.agent.port)) {
      assertThat(client.serverCertificate().getSerialNumber()).isEqualTo(serial);
      assertThat(client.get("/health").status()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("approved after three pending polls, one poll per polling interval; the pending step is audited once")
  void approvedAfterPendingPolls() throws Exception {
    for (int i = 0; i < 3; i++) {
      setup.manager.statusAnswers.add(FleetManager.pending());
    }
    EnrollmentSetup.Run run = setup.cli("--enroll", setup.manager.url());
    assertThat(run.exit()).as(run.all()).isZero();
    List<FleetManager.Seen> polls = setup.manager.pollsSeen();
    assertThat(polls).hasSize(4);
    for (int i = 1; i < polls.size(); i++) {
      assertThat(Duration.between(polls.get(i - 1).at(), polls.get(i).at()).toMillis()).isBetween(900L, 3_000L);
    }
    assertThat(setup.enrollmentRecords()).filteredOn(r -> r.getString("event").equals("enrollment_pending")).hasSize(1);
    assertThat(run.all()).contains("pending approval (poll 3 of 10)");
  }

  @Test
  @DisplayName("denied: exit 1 with one line, and no file changed")
  void deniedChangesNothing() throws Exception {
    Map<String, String> before = setup.snapshot();
    setup.manager.statusAnswers.add(FleetManager.denied());
    EnrollmentSetup.Run run = setup.cli("--enroll", setup.manager.url());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).contains("enrollment denied").contains("not one of ours")
        .contains("nothing was changed");
    assertThat(setup.snapshot()).isEqualTo(before);
    assertThat(setup.agent.dir.resolve("data/enrollment/polling-token.json")).doesNotExist();
    assertThat(setup.enrollmentRecords()).extracting(r -> r.getString("event")).containsExactly(
        "enrollment_requested", "enrollment_denied");
  }

  static Stream<Arguments> badMaterial() {
    BiFunction<FleetManager, FleetManager.Registration, JsonObject> badPem = (m, r) -> approved(m)
        .put("server_crt", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
    BiFunction<FleetManager, FleetManager.Registration, JsonObject> otherKey = (m, r) -> {
      IssuedCertificate issued = m.fleetCa.issue(m.hostSpec());
      return approved(m).put("server_crt", issued.certificatePem())
          .put("server_key", m.fleetCa.issue(m.hostSpec()).privateKeyPem());
    };
    BiFunction<FleetManager, FleetManager.Registration, JsonObject> notOurKey = (m, r) -> approved(m)
        .put("server_crt", PemFiles.encode(m.fleetCa.issue(m.hostSpec()).certificate()));
    BiFunction<FleetManager, FleetManager.Registration, JsonObject> otherCa = (m, r) -> approved(m)
        .put("server_crt", PemFiles.encode(CertificateAuthority.create("linux-patch-api test CA", Duration.ofDays(30))
            .certify(m.hostSpec(), r.csrKey())));
    BiFunction<FleetManager, FleetManager.Registration, JsonObject> expired = (m, r) -> approved(m)
        .put("server_crt", PemFiles.encode(m.fleetCa.certify(m.hostSpec().withValidity(
            Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1))), r.csrKey())));
    return Stream.of(
        Arguments.of("bad PEM", badPem, "server_crt is not a usable PEM certificate"),
        Arguments.of("a server_key that does not match", otherKey, "server_key does not match its server_crt"),
        Arguments.of("a certificate for another key", notOurKey, "not a certificate for the key this agent generated"),
        Arguments.of("a certificate of another CA with the same name", otherCa, "does not chain to the CA in ca_crt"),
        Arguments.of("an expired certificate", expired, "expired on"));
  }

  private static JsonObject approved(FleetManager m) {
    return new JsonObject().put("status", "approved").put("ca_crt", PemFiles.encode(m.fleetCa.certificate()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badMaterial")
  @DisplayName("approved material that fails a check is refused: exit 1 naming the check, nothing changed")
  void badMaterialRefused(String what, BiFunction<FleetManager, FleetManager.Registration, JsonObject> material,
      String reason) throws Exception {
    Map<String, String> before = setup.snapshot();
    setup.manager.statusAnswers.add(FleetManager.approveWith(material));
    EnrollmentSetup.Run run = setup.cli("--enroll", setup.manager.url());
    assertThat(run.exit()).as(run.all()).isEqualTo(1);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).contains("enrollment failed").contains(reason).contains("nothing was changed");
    assertThat(setup.snapshot()).isEqualTo(before);
    assertThat(setup.enrollmentRecords()).extracting(r -> r.getString("event"))
        .doesNotContain("enrollment_approved", "certificates_written").endsWith("enrollment_failed");
  }

  @Test
  @DisplayName("a manager of the original protocol that sends server_key is accepted when the key matches, and the audit says the key came from the manager")
  void originalProtocolServerKey() throws Exception {
    setup.manager.statusAnswers.add(FleetManager.approveWithManagerKey());
    EnrollmentSetup.Run run = setup.cli("--enroll", setup.manager.url());
    assertThat(run.exit()).as(run.all()).isZero();
    assertThat(run.out()).contains("key generated by the manager");
    X509Certificate installed = certificate(setup.certificate());
    assertThat(io.linuxpatch.pki.KeyMatch.mismatch(installed.getPublicKey(), PemFiles.readPrivateKey(setup.key())))
        .isEmpty();
    assertThat(installed.getPublicKey()).isNotEqualTo(setup.manager.registrations.values().iterator().next().csrKey());
    JsonObject approved = setup.enrollmentRecords().stream()
        .filter(r -> r.getString("event").equals("enrollment_approved")).findFirst().orElseThrow();
    assertThat(approved.getString("key_source")).isEqualTo("manager");
    assertThat(approved.encode()).doesNotContain("PRIVATE KEY");
    assertThat(mode(setup.key())).isEqualTo("rw-------");
  }

  @Test
  @DisplayName("plain http:// is refused for anything but 127.0.0.1/[::1] before any connection; on 127.0.0.1 it works")
  void plainHttpOnLoopbackOnly() throws Exception {
    Map<String, String> before = setup.snapshot();
    EnrollmentSetup.Run refused = setup.cli("--enroll", "http://" + EnrollmentSetup.MANAGER_IP + ":"
        + setup.manager.port);
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.errLines()).hasSize(1);
    assertThat(refused.errLines().get(0)).contains("must be an https:// URL (plain http:// only for 127.0.0.1 or [::1])");
    assertThat(setup.manager.seen).isEmpty();
    assertThat(setup.snapshot()).isEqualTo(before);

    try (FleetManager plain = FleetManager.plain(setup.agent.pki.ca)) {
      EnrollmentSetup.Run run = setup.cli("--enroll", plain.url());
      assertThat(run.exit()).as(run.all()).isZero();
      assertThat(plain.registrationsSeen()).hasSize(1);
    }
  }

  @Test
  @DisplayName("--enroll while an agent runs on the data directory exits 1 with one line and changes nothing")
  void enrollWhileAgentRuns() throws Exception {
    setup.agent.start();
    Map<String, String> before = setup.snapshot();
    EnrollmentSetup.Run run = setup.cli("--enroll", setup.manager.url());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).contains("an agent (pid " + ProcessHandle.current().pid() + ") is running")
        .contains("--renew-certs").contains("nothing was changed");
    assertThat(setup.manager.seen).isEmpty();
    assertThat(setup.snapshot()).isEqualTo(before);
  }
}
