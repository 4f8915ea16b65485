package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** MET-1: {@code /metrics} over mTLS in Prometheus text format, with per-route HTTP counters that move. */
@Tag("MET-1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsTest {

  @TempDir
  static Path dir;
  AgentUnderTest agent;

  /** One sample line of the Prometheus text format: name, optional {labels}, value. */
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");

  @BeforeAll
  void start() throws Exception {
    agent = new AgentUnderTest(dir).start();
  }

  @AfterAll
  void stop() {
    agent.close();
  }

  private String scrape() throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = client.get("/metrics");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.header("Content-Type")).startsWith("text/plain");
      return response.body();
    }
  }

  private static double sum(String text, String name, String labelFragment) {
    double total = 0;
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (m.matches() && m.group(1).equals(name) && m.group(2) != null && m.group(2).contains(labelFragment)) {
        total += Double.parseDouble(m.group(3));
      }
    }
    return total;
  }

  @Test
  @Tag("MET-1")
  @DisplayName("each Vert.x pool has its own pool meters (one untagged gauge for all of them logged a warning per start)")
  void poolsApart() throws Exception {
    Set<String> pools = new TreeSet<>();
    for (String line : scrape().split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (m.matches() && m.group(1).equals("vertx_pool_queue_pending")) {
        assertThat(m.group(2)).as(line).contains("pool_type=").contains("pool_name=");
        pools.add(m.group(2));
      }
    }
    assertThat(pools).as("pools with a queue gauge").hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  @DisplayName("a fresh agent JVM logs no \"Gauge has been already registered\" from its start through scrapes on new "
      + "connections, and Vert.x' event-bus gauge it used to name is still exported")
  void noGaugeNotice() throws Exception {
    AgentUnderTest fresh = new AgentUnderTest(dir.resolve("fresh"));
    // A JVM of its own: Micrometer says it once per JVM, so a JVM where any agent started before proves nothing.
    try (ChildAgent child = ChildAgent.start(fresh)) {
      String metrics = "";
      for (int i = 0; i < 3; i++) {
        try (TlsClient client = fresh.connect()) {
          assertThat(client.get("/api/v1/system/info").status()).isEqualTo(200);
          metrics = client.get("/metrics").body();
        }
      }
      assertThat(metrics).contains("vertx_eventbus_pending");
      assertThat(child.logLines()).as("the child agent's log")
          .noneMatch(l -> l.contains("has been already registered"));
    }
  }

  @Test
  @DisplayName("every line parses as Prometheus text, JVM meters are there, and the per-route request counter moves")
  void countersMove() throws Exception {
    String before = scrape();
    for (String line : before.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        assertThat(line).as("sample line").matches(SAMPLE);
      }
    }
    assertThat(before).contains("jvm_memory_used_bytes");
    double first = sum(before, "vertx_http_server_requests_total", "route=\"/api/v1/system/info\"");
    try (TlsClient client = agent.connect()) {
      client.get("/api/v1/system/info");
      client.get("/api/v1/system/info");
    }
    double second = sum(scrape(), "vertx_http_server_requests_total", "route=\"/api/v1/system/info\"");
    assertThat(second - first).isEqualTo(2.0);
  }

  @Test
  @DisplayName("health probes, answered before the router, are counted under their own route labels")
  void probesCounted() throws Exception {
    String before = scrape();
    double health = sum(before, "vertx_http_server_requests_total", "route=\"/health\"");
    double healthV1 = sum(before, "vertx_http_server_requests_total", "route=\"/api/v1/health\"");
    try (TlsClient client = agent.connect()) {
      for (int i = 0; i < 3; i++) {
        assertThat(client.get("/health").status()).isEqualTo(200);
      }
      assertThat(client.get("/api/v1/health").status()).isEqualTo(200);
    }
    String after = scrape();
    assertThat(sum(after, "vertx_http_server_requests_total", "route=\"/health\"") - health).isEqualTo(3.0);
    assertThat(sum(after, "vertx_http_server_requests_total", "route=\"/api/v1/health\"") - healthV1).isEqualTo(1.0);
  }

  @Test
  @DisplayName("a handshake without a client certificate is counted in lpa_tls_handshake_failures_total")
  void handshakeFailuresCounted() throws Exception {
    double before = total(scrape(), "lpa_tls_handshake_failures_total");
    TlsClient.applicationBytes(TlsClient.context(null, agent.pki.ca.certificate()), agent.port);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
        .until(() -> total(scrape(), "lpa_tls_handshake_failures_total") > before);
  }

  private static double total(String text, String name) {
    double total = 0;
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (m.matches() && m.group(1).equals(name)) {
        total += Double.parseDouble(m.group(3));
      }
    }
    return total;
  }
}
