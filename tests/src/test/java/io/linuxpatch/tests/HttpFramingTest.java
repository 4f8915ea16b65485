package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Requests whose framing a front end and the agent could read differently (RFC 9112 §6), and requests the
 * HTTP/1.1 codec cannot read: each is answered in the envelope and the connection closed, so nothing smuggled
 * behind it is ever served, and a flood of them costs a few log lines, not one stack trace each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpFramingTest {

  @TempDir
  static Path dir;
  AgentUnderTest agent;
  /** Everything the agent logs while a test runs (its logging is in-process: logback-test.xml). */
  ListAppender<ILoggingEvent> logged;

  @BeforeAll
  void start() throws Exception {
    agent = new AgentUnderTest(dir);
    // The chunked requests are POSTs: without a grant the read-only default (SEC-6) answers 403 before the
    // body's framing is read, and the framing is what these tests are about.
    agent.writeConfig(AgentUnderTest.TEST_CLIENT_ADMIN);
    agent.start();
  }

  @AfterAll
  void stop() {
    agent.close();
  }

  @BeforeEach
  void captureLog() {
    logged = new ListAppender<>();
    logged.start();
    root().addAppender(logged);
  }

  @AfterEach
  void releaseLog() {
    root().detachAppender(logged);
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private static JsonObject error(TlsClient.Response response) {
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getBoolean("success")).isFalse();
    assertThat(body.getString("request_id")).isNotBlank();
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    return body.getJsonObject("error");
  }

  @Test
  @DisplayName("Content-Length with Transfer-Encoding is 400 and closes the connection: the request smuggled behind it is never served")
  void contentLengthWithTransferEncoding() throws Exception {
    String smuggled = "GET /api/v1/system/info HTTP/1.1\r\nHost: localhost\r\nX-Request-ID: smuggled\r\n\r\n";
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = client.rawExchange("POST /api/v1/packages/cache HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "0\r\n\r\n" + smuggled);
      assertThat(response.status()).isEqualTo(400);
      assertThat(error(response).getString("code")).isEqualTo("INVALID_REQUEST");
      assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
      // End of stream, not the smuggled request's answer.
      assertThat(client.closedByServerWithin(5)).isTrue();
    }
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(Files.readString(dir.resolve("log/audit.jsonl"))).contains("\"event\":\"malformed_request\""));
    assertThat(Files.readString(dir.resolve("log/audit.jsonl"))).doesNotContain("\"request_id\":\"smuggled\"");
  }

  @Test
  @DisplayName("a transfer coding other than a final, single chunked is refused (400, or 501 for an unknown coding before chunked); HTTP/1.0 may not use one")
  void transferCodings() throws Exception {
    for (String[] caseAndStatus : new String[][] {
        {"HTTP/1.1", "gzip", "400"}, {"HTTP/1.1", "chunked, gzip", "400"}, {"HTTP/1.1", "chunked, chunked", "400"},
        {"HTTP/1.1", "gzip, chunked", "501"}, {"HTTP/1.0", "chunked", "400"}}) {
      try (TlsClient client = agent.connect()) {
        TlsClient.Response response = client.rawExchange("POST /api/v1/packages?dry_run=true " + caseAndStatus[0]
            + "\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: " + caseAndStatus[1]
            + "\r\n\r\n0\r\n\r\n");
        assertThat(response.status()).as(caseAndStatus[0] + " " + caseAndStatus[1])
            .isEqualTo(Integer.parseInt(caseAndStatus[2]));
        error(response);
        assertThat(client.closedByServerWithin(5)).isTrue();
      }
    }
  }

  @Test
  @DisplayName("a chunk size of ffffffffffffffff is answered 400 in the envelope, with no stack trace in the log")
  void chunkSizeOverflow() throws Exception {
    for (int i = 0; i < 20; i++) {
      try (TlsClient client = agent.connect()) {
        TlsClient.Response response = client.rawExchange("POST /api/v1/packages?dry_run=true HTTP/1.1\r\n"
            + "Host: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "ffffffffffffffff\r\n{}\r\n0\r\n\r\n");
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response).getString("code")).isEqualTo("INVALID_REQUEST");
        assertThat(client.closedByServerWithin(5)).isTrue();
      }
    }
    assertThat(logged.list).noneMatch(event -> event.getThrowableProxy() != null);
    assertThat(logged.list).noneMatch(event -> event.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR));
  }

  @Test
  @DisplayName("GET /health HTTP/2.0 on an HTTP/1.1 connection is 505 in the envelope (was 501 with an empty body); FOO/1.1 is 400")
  void otherProtocolVersions() throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = client.rawExchange("GET /health HTTP/2.0\r\nHost: localhost\r\nX-Request-ID: v2\r\n\r\n");
      assertThat(response.status()).isEqualTo(505);
      assertThat(error(response).getString("code")).isEqualTo("HTTP_VERSION_NOT_SUPPORTED");
      assertThat(response.header("X-Request-ID")).isEqualTo("v2");
    }
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = client.rawExchange("GET /health FOO/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(response.status()).isEqualTo(400);
      assertThat(error(response).getString("code")).isEqualTo("INVALID_REQUEST");
    }
    try (TlsClient client = agent.connect()) {
      // RFC 9110 section 2.5: a later HTTP/1.x minor version is served as HTTP/1.1.
      assertThat(client.rawExchange("GET /health HTTP/1.2\r\nHost: localhost\r\n\r\n").status()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("a malformed header line is 400 in the envelope")
  void malformedHeader() throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response response = client.rawExchange("GET /health HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n\r\n");
      assertThat(response.status()).isEqualTo(400);
      assertThat(error(response).getString("code")).isEqualTo("INVALID_REQUEST");
    }
  }

  @Test
  @DisplayName("a flood of malformed requests is logged as a summary per second and verticle, not a line per request")
  void floodSummarised() throws Exception {
    long start = System.nanoTime();
    int sent = 60;
    for (int i = 0; i < sent; i++) {
      try (TlsClient client = agent.connect()) {
        assertThat(client.rawExchange("GET /health HTTP/2.0\r\nHost: localhost\r\n\r\n").status()).isEqualTo(505);
      }
    }
    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds() + 2;
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(refusedCounted()).isGreaterThanOrEqualTo(sent));
    List<ILoggingEvent> summaries = logged.list.stream()
        .filter(e -> e.getLoggerName().endsWith("MalformedRequestLog")).toList();
    // Two HTTP verticles, one summary each per second at most.
    assertThat(summaries).hasSizeLessThanOrEqualTo((int) (2 * seconds)).hasSizeLessThan(sent);
    assertThat(logged.list).noneMatch(event -> event.getThrowableProxy() != null);
  }

  /** The requests the summaries counted so far, from their "refused N malformed" lines. */
  private long refusedCounted() {
    return logged.list.stream().filter(e -> e.getLoggerName().endsWith("MalformedRequestLog"))
        .mapToLong(e -> Long.parseLong(e.getFormattedMessage().replaceFirst("^refused (\\d+) .*", "$1"))).sum();
  }
}
