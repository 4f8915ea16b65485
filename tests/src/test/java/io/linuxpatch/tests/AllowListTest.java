package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SEC-3 and SEC-4 end to end: silent drop before TLS, and allow-list edits without restart. */
class AllowListTest {

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

  @Test
  @DisplayName("a peer not on the allow-list (127.0.0.2) receives 0 bytes, not even a TLS alert")
  void silentDrop() throws Exception {
    assertThat(TlsClient.rawBytesFrom("127.0.0.2", agent.port)).isZero();
    // Control: the same probe from an allowed address does get TLS bytes back (an alert for the garbage).
    assertThat(TlsClient.rawBytesFrom("127.0.0.1", agent.port)).isPositive();
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.agent().droppedSinceStart() >= 1);
    // SEC-3: every drop is audited, summarised once per second so that a flood cannot fill the disk.
    java.nio.file.Path log = dir.resolve("log/audit.jsonl");
    await().atMost(Duration.ofSeconds(5)).until(() -> java.nio.file.Files.exists(log)
        && java.nio.file.Files.readString(log).contains("\"event\":\"allowlist_drop\"")
        && java.nio.file.Files.readString(log).contains("127.0.0.2"));
  }

  @Test
  @DisplayName("an added entry admits new connections within 2 s, without restart")
  void additionApplies() throws Exception {
    assertThat(TlsClient.rawBytesFrom("127.0.0.3", agent.port)).isZero();
    agent.writeWhitelist(List.of("127.0.0.1", "::1", "127.0.0.3"));
    await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() -> {
      try (TlsClient client = TlsClient.connect(agent.clientContext(), "127.0.0.3", agent.port)) {
        assertThat(client.get("/health").status()).isEqualTo(200);
      }
    });
  }

  @Test
  @DisplayName("a removed entry closes the next request of a kept-alive connection and refuses new ones within 2 s")
  void removalApplies() throws Exception {
    agent.writeWhitelist(List.of("127.0.0.1", "::1", "127.0.0.4"));
    await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() -> {
      try (TlsClient probe = TlsClient.connect(agent.clientContext(), "127.0.0.4", agent.port)) {
        assertThat(probe.get("/health").status()).isEqualTo(200);
      }
    });
    try (TlsClient keptAlive = TlsClient.connect(agent.clientContext(), "127.0.0.4", agent.port)) {
      assertThat(keptAlive.get("/health").status()).isEqualTo(200);
      agent.writeWhitelist(List.of("127.0.0.1", "::1"));
      await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100))
          .until(() -> TlsClient.rawBytesFrom("127.0.0.4", agent.port) == 0);
      // The kept-alive connection is still open; its next request must get no answer at all.
      boolean answered;
      try {
        keptAlive.get("/health");
        answered = true;
      } catch (java.io.IOException closed) {
        answered = false;
      }
      assertThat(answered).as("a request on a kept-alive connection after removal got an answer").isFalse();
    }
  }

  @Test
  @DisplayName("a broken, an empty and a half-written allow-list each keep the last good one")
  void brokenKeepsLastGood() throws Exception {
    for (String broken : List.of("entries: [127.0.0.1, ::1\n", "", "{}\n", "entries:\n  - 127.0.0.1\n  - not-an-ip!\n")) {
      AgentUnderTest.write(agent.whitelistFile, broken);
      Thread.sleep(1_200); // two scan periods: the watcher has seen the file
      try (TlsClient client = agent.connect()) {
        assertThat(client.get("/health").status()).as("after writing %s", broken).isEqualTo(200);
      }
    }
  }
}
