package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** SEC-3 and SEC-4 end to end: silent drop before TLS, and allow-list edits without restart. */
@Tag("SEC-3")
@Tag("SEC-4")
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
    // The agent logs in-process (logback-test.xml): its WARN about each rejected version proves the file was read.
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logged);
    try {
      for (String broken : List.of("entries: [127.0.0.1, ::1\n", "", "{}\n", "entries:\n  - 127.0.0.1\n  - not-an-ip!\n")) {
        int before = rejections(logged).size();
        AgentUnderTest.write(agent.whitelistFile, broken);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
            .until(() -> rejections(logged).size() > before);
        try (TlsClient client = agent.connect()) {
          assertThat(client.get("/health").status()).as("after writing %s", broken).isEqualTo(200);
        }
      }
    } finally {
      root.detachAppender(logged);
    }
  }

  /** The agent's warnings that a changed allow-list was read and rejected, the previous one kept. */
  private List<String> rejections(ListAppender<ILoggingEvent> logged) {
    List<ILoggingEvent> events;
    synchronized (logged) { // the appender appends under its own lock
      events = new ArrayList<>(logged.list);
    }
    return events.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.contains(agent.whitelistFile.getFileName() + " was changed but is unusable")).toList();
  }
}
