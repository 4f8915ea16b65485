package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpClient;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** API-8 and SEC-7 on HTTP/2: the same port negotiates h2 through ALPN, and the same limits hold. */
@Tag("API-8")
@Tag("SEC-7")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http2Test {

  @TempDir
  static Path dir;
  AgentUnderTest agent;
  Vertx vertx;
  HttpClient client;

  /** A whole response: status, protocol and body. */
  private record Answer(int status, HttpVersion version, String body) {}

  @BeforeAll
  void start() throws Exception {
    agent = new AgentUnderTest(dir).start();
    vertx = Vertx.vertx();
    client = vertx.createHttpClient(new HttpClientOptions()
        .setSsl(true)
        .setUseAlpn(true)
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(java.nio.file.Files.readString(agent.pki.caPem()))))
        .setKeyCertOptions(new PemKeyCertOptions()
            .addCertValue(Buffer.buffer(agent.pki.client.certificatePem()))
            .addKeyValue(Buffer.buffer(agent.pki.client.privateKeyPem()))));
  }

  @AfterAll
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    agent.close();
  }

  private Answer send(HttpMethod method, String uri, String header, Buffer body) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("localhost").setPort(agent.port)
        .setURI(uri);
    if (header != null) {
      options.putHeader("X-Filler", header);
    }
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    return client.request(options)
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(response -> response.body().map(b -> {
          java.util.Map<String, String> headers = new java.util.HashMap<>();
          response.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
          DocumentedAnswers.check(method.name(), uri, response.statusCode(), headers, b.toString());
          return new Answer(response.statusCode(), response.version(), b.toString());
        }))
        .await(15, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("HTTP/2 is negotiated through ALPN and answers /health in the envelope")
  void h2Health() throws Exception {
    Answer answer = send(HttpMethod.GET, "/health", null, null);
    assertThat(answer.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(new JsonObject(answer.body()).getBoolean("success")).isTrue();
  }

  @Test
  @DisplayName("HTTP/2 advertises the 8 KiB header limit, so a compliant client refuses to send more")
  void h2Headers() {
    // Netty's client honours SETTINGS_MAX_HEADER_LIST_SIZE from the agent and never sends the request;
    // a client that ignores it (curl) gets 431 from the agent (checked by hand, see the issue note).
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> send(HttpMethod.GET, "/health", "a".repeat(9000), null))
        .hasMessageContaining("max allowed size (8192)");
  }

  @Test
  @DisplayName("an HTTP/2 URI over 4 KiB is refused 414")
  void h2Uri() throws Exception {
    assertThat(send(HttpMethod.GET, "/health?x=" + "a".repeat(5000), null, null).status()).isEqualTo(414);
  }

  @Test
  @DisplayName("an HTTP/2 body over 1 MiB is refused 413")
  void h2Body() throws Exception {
    Answer answer = send(HttpMethod.GET, "/api/v1/system/info", null, Buffer.buffer("x".repeat(1024 * 1024 + 10)));
    assertThat(answer.status()).isEqualTo(413);
    assertThat(new JsonObject(answer.body()).getJsonObject("error").getString("code")).isEqualTo("PAYLOAD_TOO_LARGE");
  }

  @Test
  @DisplayName("the WebSocket endpoint over HTTP/2 answers 400 INVALID_REQUEST: job events need an HTTP/1.1 upgrade")
  void h2WebSocketEndpoint() throws Exception {
    Answer answer = send(HttpMethod.GET, "/api/v1/ws/jobs", null, null);
    assertThat(answer.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(answer.status()).isEqualTo(400);
    assertThat(new JsonObject(answer.body()).getJsonObject("error").getString("code")).isEqualTo("INVALID_REQUEST");
  }
}
