package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.linuxpatch.pki.IssuedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SEC-2 with session resumption on: a resumed TLS handshake does not run the trust manager again, so a
 * client revoked by a CRL reload must not get back in with a session ticket issued before the revocation.
 */
@Tag("SEC-2")
class TlsResumptionTest {

  @TempDir
  Path dir;
  AgentUnderTest agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  @DisplayName("a client that resumed before its certificate was revoked gets no HTTP byte once the new CRL is loaded")
  void revokedClientCannotResume() throws Exception {
    agent = new AgentUnderTest(dir).start();
    IssuedCertificate soon = agent.pki.client("soon-revoked");
    SSLContext context = TlsClient.context(soon, agent.pki.ca.certificate());
    // Two exchanges with one context: the second offers the session ticket the first one received.
    assertThat(new String(TlsClient.applicationBytes(context, agent.port))).startsWith("HTTP/1.1 200");
    assertThat(new String(TlsClient.applicationBytes(context, agent.port))).startsWith("HTTP/1.1 200");

    Files.writeString(agent.pki.crlPem(), agent.pki.ca.crlPem(
        List.of(agent.pki.revoked.certificate().getSerialNumber(), soon.certificate().getSerialNumber()),
        Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(7))));
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
        .until(() -> TlsClient.applicationBytes(context, agent.port).length == 0);
    // And it stays out: no later attempt resumes an older session either.
    for (int i = 0; i < 3; i++) {
      assertThat(TlsClient.applicationBytes(context, agent.port)).isEmpty();
    }
    // Everyone else still gets in.
    assertThat(new String(TlsClient.applicationBytes(agent.clientContext(), agent.port))).startsWith("HTTP/1.1 200");
  }
}
