package io.linuxpatch.enrollment;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Instant;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;

/**
 * Speaks the fleet manager's protocol (ENR) over HTTPS: {@code POST /api/v1/enroll} and
 * {@code GET /api/v1/enroll/status/{token}}, each answer turned into a {@link ManagerAnswer}.
 *
 * <p>The manager's certificate is verified — against {@code enrollment.manager_ca} when given, else the JVM's
 * default trust store — and its name is checked (HTTPS endpoint identification); the original client turned both
 * off. A renewal presents the agent's current certificate as a TLS client certificate. Answers are read up to a
 * bound, so a broken manager cannot fill the heap. No text this class produces contains the polling token.
 */
public final class ManagerClient implements AutoCloseable {

  static final String ENROLL_PATH = "/api/v1/enroll";
  static final String STATUS_PATH = "/api/v1/enroll/status/";
  /** A registration answer is a token; a status answer three PEM blocks. Anything bigger is not the protocol. */
  static final int MAX_ANSWER_BYTES = 1024 * 1024;
  static final long CONNECT_TIMEOUT_MS = 10_000;
  static final long REQUEST_TIMEOUT_MS = 30_000;

  private final HttpClientAgent http;
  private final ManagerUrl manager;
  private final RetryPolicy retry;

  private ManagerClient(HttpClientAgent http, ManagerUrl manager, RetryPolicy retry) {
    this.http = http;
    this.manager = manager;
    this.retry = retry;
  }

  /**
   * A client for {@code manager}.
   *
   * @param managerCaPem the CA (PEM) the manager's certificate must chain to, or null for the default trust store
   * @param presented    the certificate to present as a TLS client, or null for none
   */
  public static ManagerClient create(Vertx vertx, ManagerUrl manager, Buffer managerCaPem, ClientCertificate presented,
      RetryPolicy retry) {
    HttpClientOptions options = new HttpClientOptions()
        .setSsl(manager.tls())
        .setDefaultHost(manager.host())
        .setDefaultPort(manager.port())
        .setConnectTimeout((int) CONNECT_TIMEOUT_MS)
        .setKeepAlive(true)
        .setMaxRedirects(0);
    if (manager.tls()) {
      options.setVerifyHost(true)
          .setTrustAll(false)
          .setSslEngineOptions(new JdkSSLEngineOptions())
          .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"));
      options.getSslOptions().setHostnameVerificationAlgorithm("HTTPS");
      if (managerCaPem != null) {
        options.setTrustOptions(new PemTrustOptions().addCertValue(managerCaPem));
      }
      if (presented != null) {
        options.setKeyCertOptions(new PemKeyCertOptions().setCertValue(presented.certificatePem())
            .setKeyValue(presented.keyPem()));
      }
    }
    return new ManagerClient(vertx.createHttpClient(options), manager, retry);
  }

  /** Registers the host: {@code body} is {@link HostIdentity#requestBody}. */
  public Future<ManagerAnswer> register(JsonObject body) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setURI(manager.path(ENROLL_PATH))
        .putHeader("Content-Type", "application/json").putHeader("Accept", "application/json")
        .setTimeout(REQUEST_TIMEOUT_MS);
    return exchange(request, body.toBuffer(), null)
        .map(this::registration)
        .otherwise(failure -> networkAnswer("the registration", failure, null));
  }

  /** Asks for the decision on {@code token}. */
  public Future<ManagerAnswer> status(PollingToken token) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET)
        .setURI(manager.path(STATUS_PATH) + token.pathSegment())
        .putHeader("Accept", "application/json").setTimeout(REQUEST_TIMEOUT_MS);
    return exchange(request, null, token)
        .map(reply -> status(reply, token))
        .otherwise(failure -> networkAnswer("the status poll", failure, token));
  }

  @Override
  public void close() {
    http.close();
  }

  /** One answer: status, the Retry-After header, the body and the address it came from. */
  private record Reply(int status, String retryAfter, Buffer body, String peer) {}

  private Future<Reply> exchange(RequestOptions options, Buffer body, PollingToken token) {
    return http.request(options).compose(request -> {
      String peer = peerAddress(request);
      Future<HttpClientResponse> sent = body == null ? request.send() : request.send(body);
      return sent.compose(response -> readBounded(request, response).map(bytes ->
          new Reply(response.statusCode(), response.getHeader("Retry-After"), bytes, peer)));
    });
  }

  private static String peerAddress(HttpClientRequest request) {
    SocketAddress remote = request.connection().remoteAddress();
    return remote == null || remote.hostAddress() == null ? null
        : HostIdentity.literal(addressOf(remote.hostAddress()));
  }

  private static InetAddress addressOf(String literal) {
    try {
      // a literal: no lookup happens
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("not an address: " + literal, e);
    }
  }

  private static Future<Buffer> readBounded(HttpClientRequest request, HttpClientResponse response) {
    Promise<Buffer> read = Promise.promise();
    String length = response.getHeader("Content-Length");
    if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 12
        && Long.parseLong(length) > MAX_ANSWER_BYTES) {
      request.reset();
      return Future.failedFuture(new ProtocolViolation("the answer is " + length + " bytes, more than the "
          + MAX_ANSWER_BYTES + " any answer of the protocol needs"));
    }
    Buffer collected = Buffer.buffer();
    response.handler(chunk -> {
      if (collected.length() + chunk.length() > MAX_ANSWER_BYTES) {
        request.reset();
        read.tryFail(new ProtocolViolation("the answer is longer than the " + MAX_ANSWER_BYTES
            + " bytes any answer of the protocol needs"));
      } else {
        collected.appendBuffer(chunk);
      }
    });
    response.exceptionHandler(read::tryFail);
    response.endHandler(done -> read.tryComplete(collected));
    return read.future();
  }

  private ManagerAnswer registration(Reply reply) {
    JsonObject json = json(reply.body());
    switch (reply.status()) {
      case 200, 201, 202 -> {
        PollingToken token = token(json);
        return token == null
            ? new ManagerAnswer.Unavailable("the manager accepted the registration (HTTP " + reply.status()
                + ") but its answer holds no usable polling_token")
            : new ManagerAnswer.Registered(token);
      }
      case 409 -> {
        return new ManagerAnswer.AlreadyRegistered(token(json));
      }
      case 429 -> {
        return new ManagerAnswer.RetryLater(retry.retryAfter(reply.retryAfter(), Instant.now()));
      }
      default -> {
        return httpFailure("the registration", reply, null);
      }
    }
  }

  private ManagerAnswer status(Reply reply, PollingToken token) {
    if (reply.status() == 404) {
      return new ManagerAnswer.Gone();
    }
    if (reply.status() == 429) {
      return new ManagerAnswer.RetryLater(retry.retryAfter(reply.retryAfter(), Instant.now()));
    }
    if (reply.status() != 200) {
      return httpFailure("the status poll", reply, token);
    }
    JsonObject json = json(reply.body());
    String status = json == null ? null : json.getValue("status") instanceof String s ? s : null;
    if (status == null) {
      return new ManagerAnswer.Unavailable("the manager's status answer is not the protocol's JSON with a \"status\"");
    }
    switch (status) {
      case "pending" -> {
        return new ManagerAnswer.Pending();
      }
      case "denied" -> {
        return new ManagerAnswer.Denied(token.redact(text(json, "message", "reason")));
      }
      case "not_found" -> {
        return new ManagerAnswer.Gone();
      }
      case "approved" -> {
        String ca = json.getValue("ca_crt") instanceof String s ? s : null;
        String cert = json.getValue("server_crt") instanceof String s ? s : null;
        Object key = json.getValue("server_key");
        if (ca == null || cert == null || (key != null && !(key instanceof String))) {
          return new ManagerAnswer.Refused("the manager approved, but its answer lacks ca_crt or server_crt as PEM "
              + "text (or has a server_key that is not text)");
        }
        String keyPem = key == null || ((String) key).isBlank() ? null : (String) key;
        return new ManagerAnswer.Approved(new ApprovedMaterial(ca, cert, keyPem, reply.peer()));
      }
      default -> {
        return new ManagerAnswer.Unavailable("the manager answered the unknown status \""
            + token.redact(abbreviate(status)) + "\"");
      }
    }
  }

  private static ManagerAnswer httpFailure(String what, Reply reply, PollingToken token) {
    JsonObject json = json(reply.body());
    String said = json == null ? null : text(json, "message", "error", "detail");
    String text = what + " was answered HTTP " + reply.status() + (said == null ? "" : " (" + said + ")");
    text = token == null ? text : token.redact(text);
    return reply.status() >= 500 ? new ManagerAnswer.Unavailable(text) : new ManagerAnswer.Refused(text);
  }

  /** A failure before any HTTP answer: an untrusted certificate is final, anything else may pass. */
  private ManagerAnswer networkAnswer(String what, Throwable failure, PollingToken token) {
    String reason = describe(failure);
    if (token != null) {
      reason = token.redact(reason);
    }
    if (untrustedCertificate(failure)) {
      return new ManagerAnswer.Refused(what + " failed: the manager's TLS certificate was refused (" + reason
          + "); set enrollment.manager_ca to the PEM of the CA that issued it, or check that the URL names the host "
          + "its certificate is for");
    }
    return new ManagerAnswer.Unavailable(what + " failed: " + reason);
  }

  private static boolean untrustedCertificate(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CertificateException || t instanceof CertPathValidatorException) {
        return true;
      }
      if (t instanceof SSLHandshakeException handshake && handshake.getMessage() != null
          && (handshake.getMessage().contains("PKIX") || handshake.getMessage().contains("certificate"))) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    String bottom = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return abbreviate(top.equals(bottom) || root == failure ? top : top + ": " + bottom);
  }

  private static JsonObject json(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      Object value = Json.decodeValue(body);
      return value instanceof JsonObject object ? object : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  private static PollingToken token(JsonObject json) {
    Object value = json == null ? null : json.getValue("polling_token");
    if (!(value instanceof String s)) {
      return null;
    }
    try {
      return new PollingToken(s);
    } catch (IllegalArgumentException unusable) {
      return null;
    }
  }

  private static String text(JsonObject json, String... keys) {
    for (String key : keys) {
      if (json.getValue(key) instanceof String s && !s.isBlank()) {
        return abbreviate(s);
      }
    }
    return null;
  }

  /** Texts from the manager go into logs and audit records: one line, bounded. */
  static String abbreviate(String text) {
    String line = text.replaceAll("[\\r\\n\\t]+", " ").strip();
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }

  /** An answer that breaks the protocol's limits. */
  static final class ProtocolViolation extends RuntimeException {
    ProtocolViolation(String message) {
      super(message, null, false, false);
    }
  }
}
