package io.linuxpatch.fleet;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * HTTPS and WebSocket client of many agents with one client certificate ({@link ClientTls}): a request answers an
 * {@link Answer} (the envelope, whatever the status), a host that cannot be reached fails the future with the
 * reason. One Vert.x instance and one connection pool serve every host.
 */
public final class AgentClient implements AutoCloseable {

  private static final int CONNECT_TIMEOUT_MS = 5_000;
  /** Dry runs simulate with the package manager: allow them time, but not for ever. */
  private static final long IDLE_TIMEOUT_MS = 120_000;

  private final Vertx vertx;
  private final HttpClient http;
  private final WebSocketClient webSockets;

  public AgentClient(ClientTls tls) {
    this.vertx = Vertx.vertx();
    this.http = vertx.createHttpClient(new HttpClientOptions().setSsl(true)
        .setKeyCertOptions(tls.identity()).setTrustOptions(tls.trust())
        .setConnectTimeout(CONNECT_TIMEOUT_MS), new PoolOptions().setHttp1MaxSize(4));
    this.webSockets = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
        .setKeyCertOptions(tls.identity()).setTrustOptions(tls.trust())
        .setConnectTimeout(CONNECT_TIMEOUT_MS));
  }

  public Vertx vertx() {
    return vertx;
  }

  public Future<Answer> get(Host host, String path) {
    return send(host, HttpMethod.GET, path, null, Map.of());
  }

  /** A POST with a JSON body ({@code {}} when null) and extra headers such as {@code Idempotency-Key}. */
  public Future<Answer> post(Host host, String path, JsonObject body, Map<String, String> headers) {
    return send(host, HttpMethod.POST, path, body == null ? new JsonObject() : body, headers);
  }

  private Future<Answer> send(Host host, HttpMethod method, String path, JsonObject body, Map<String, String> headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost(host.hostName()).setPort(host.port())
        .setURI(path).setSsl(true).setIdleTimeout(IDLE_TIMEOUT_MS);
    headers.forEach(options::addHeader);
    if (body != null) {
      options.addHeader("Content-Type", "application/json");
    }
    return http.request(options).compose(request -> {
      Future<io.vertx.core.http.HttpClientResponse> sent = body == null ? request.send()
          : request.send(Buffer.buffer(body.encode()));
      return sent.compose(response -> response.body().map(buffer -> {
        Instant notAfter = notAfter(request.connection());
        return new Answer(response.statusCode(), envelopeOf(buffer), notAfter);
      }));
    });
  }

  /** The job-events WebSocket of {@code host} (JOB-9). */
  public Future<WebSocket> jobEvents(Host host) {
    return webSockets.connect(new WebSocketConnectOptions().setHost(host.hostName()).setPort(host.port())
        .setSsl(true).setURI("/api/v1/ws/jobs"));
  }

  private static JsonObject envelopeOf(Buffer body) {
    try {
      return body.length() == 0 ? new JsonObject() : new JsonObject(body);
    } catch (DecodeException | ClassCastException notJson) {
      return new JsonObject();
    }
  }

  private static Instant notAfter(io.vertx.core.http.HttpConnection connection) {
    try {
      List<Certificate> chain = connection.peerCertificates();
      return chain != null && !chain.isEmpty() && chain.get(0) instanceof X509Certificate leaf
          ? leaf.getNotAfter().toInstant() : null;
    } catch (javax.net.ssl.SSLPeerUnverifiedException | RuntimeException unavailable) {
      return null;
    }
  }

  @Override
  public void close() {
    http.close();
    webSockets.close();
    vertx.close().await();
  }
}
