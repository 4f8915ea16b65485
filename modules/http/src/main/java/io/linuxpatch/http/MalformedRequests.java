package io.linuxpatch.http;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.auth.AccessPolicy;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * The server's invalid request handler: answers a request the HTTP/1.x codec could not read (or
 * {@link StrictRequestDecoder} refused) in the envelope — 400, 414 (request line too long), 431 (headers too
 * large), 501, 505 — instead of Vert.x' empty-bodied answers (API-2), and counts it for the summarised log
 * and audit ({@link MalformedRequestLog}). Vert.x closes the connection after the answer: what follows an
 * unreadable request cannot be trusted to start where the client meant.
 *
 * <p>A peer the allow-list no longer admits gets no answer, as on every other path (SEC-3).
 */
final class MalformedRequests implements Handler<HttpServerRequest> {

  private final Supplier<AccessPolicy> policy;
  private final ClientAccess access;
  private final MalformedRequestLog log;

  MalformedRequests(Supplier<AccessPolicy> policy, ClientAccess access, MalformedRequestLog log) {
    this.policy = policy;
    this.access = access;
    this.log = log;
  }

  @Override
  public void handle(HttpServerRequest request) {
    ConnectionPeer peer = access.peerOf(request.connection());
    if (!peer.admitted(policy.get())) {
      request.connection().close();
      return;
    }
    ApiFailure refusal = refusalOf(request.decoderResult().cause());
    String requestId = RequestIds.accepted(request.getHeader(RequestIds.HEADER));
    log.add(requestId, peer.address == null ? "?" : peer.address.getHostAddress(), peer.identity,
        refusal.code().httpStatus(), refusal.getMessage());
    request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    Envelope.error(request.response(), requestId, refusal.code(), refusal.getMessage(), refusal.details());
  }

  static ApiFailure refusalOf(Throwable cause) {
    if (cause instanceof ApiFailure api) {
      return api;
    }
    if (cause instanceof TooLongHttpLineException) {
      return new ApiFailure(ErrorCode.URI_TOO_LONG, "the request line is longer than "
          + ServerSecurity.MAX_URI_BYTES + " bytes of URI allow");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return new ApiFailure(ErrorCode.HEADERS_TOO_LARGE, "the request headers are larger than "
          + ServerSecurity.MAX_HEADER_BYTES + " bytes");
    }
    String reason = cause == null || cause.getMessage() == null ? "unreadable" : cause.getMessage();
    return new ApiFailure(ErrorCode.INVALID_REQUEST, "the request is not well-formed HTTP/1.1",
        new JsonObject().put("reason", StrictRequestDecoder.bounded(reason)));
  }
}
