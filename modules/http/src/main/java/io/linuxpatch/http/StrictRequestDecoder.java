package io.linuxpatch.http;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.internals.HttpChannels;
import io.linuxpatch.internals.VertxRequestDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Vert.x' HTTP/1.x request decoder with the framing rules of RFC 9112 that Netty leaves open: a request
 * whose body length is ambiguous is refused and nothing after it on the connection is read.
 *
 * <ul>
 *   <li>{@code Content-Length} with {@code Transfer-Encoding} (§6.1; Netty drops the length and goes on, so a
 *       request smuggled in the body would be served next): 400, connection closed.</li>
 *   <li>{@code Transfer-Encoding} in an HTTP/1.0 request, or whose final coding is not {@code chunked}, or
 *       with {@code chunked} twice (§6.1, §6.3): 400; another coding before {@code chunked}: 501.</li>
 *   <li>A malformed chunked body (a chunk size such as {@code ffffffffffffffff}): 400 through the route's
 *       failure handler, as an answer rather than a fault with a stack trace.</li>
 *   <li>A request line of another protocol or HTTP major version ({@code GET /health HTTP/2.0} on an
 *       HTTP/1.1 connection; Vert.x answered 501 with an empty body): 400 or 505 in the envelope; HTTP/1.2 and
 *       later minors are served as HTTP/1.1 (RFC 9110 §2.5).</li>
 * </ul>
 *
 * <p>A refused request reaches {@link MalformedRequests} (the server's invalid request handler) with a failed
 * decoder result carrying the {@link ApiFailure} to answer; Vert.x closes the connection after answering a
 * request whose decoding failed, and this decoder discards every byte after it, so a smuggled request is
 * never decoded. It takes the place of Vert.x' decoder through the internals module (hooks 3 and 4: the decoder's
 * class and its handler name); an HTTP/1.x connection without that decoder throws there, and the HTTP verticle
 * closes it and logs an error: never served unchecked.
 */
final class StrictRequestDecoder extends VertxRequestDecoder {


  /** The refusal found while the current request's head was read, applied when the head is handed on. */
  private ApiFailure pending;
  /** After a refusal nothing more of this connection is decoded: Vert.x answers, then closes it. */
  private boolean refused;

  StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  /**
   * Puts this decoder in place of Vert.x' own on an HTTP/1.x connection, before any request was read (call
   * from the server's connection handler). HTTP/2 connections have no such decoder and are left alone.
   */
  static void install(HttpConnection connection, HttpServerOptions options) {
    if (!HttpChannels.isHttp1(connection)) {
      return;
    }
    HttpChannels.replaceDecoder(connection, new StrictRequestDecoder(options));
    HttpChannels.http1Pipeline(connection).addAfter(HttpChannels.DECODER, FlushBeforeClose.NAME,
        new FlushBeforeClose());
  }

  /**
   * Vert.x closes a connection whose request body failed to decode right after handing the failure to the
   * route, whose answer is then still waiting for the end of the read to be flushed, and a close drops it:
   * flushing first makes the 400 reach the client.
   */
  private static final class FlushBeforeClose extends ChannelOutboundHandlerAdapter {
    static final String NAME = "lpa-flush-before-close";

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
      ctx.flush();
      ctx.close(promise);
    }
  }

  @Override
  protected HttpMessage createMessage(String[] initialLine) {
    pending = null;
    // Throws for a version that is not PROTOCOL/MAJOR.MINOR: Netty then answers a 400 of its own making.
    HttpVersion version = HttpVersion.valueOf(initialLine[2]);
    // Vert.x tells versions apart by identity with Netty's two constants (anything else: 501, empty body).
    String served = version.minorVersion() == 0 ? HttpVersion.HTTP_1_0.text() : HttpVersion.HTTP_1_1.text();
    if (!"HTTP".equals(version.protocolName())) {
      pending = new ApiFailure(ErrorCode.INVALID_REQUEST, "the request line does not end in HTTP/1.1",
          new JsonObject().put("version", bounded(initialLine[2])));
      served = HttpVersion.HTTP_1_1.text();
    } else if (version.majorVersion() != 1) {
      pending = new ApiFailure(ErrorCode.HTTP_VERSION_NOT_SUPPORTED, "this connection speaks HTTP/1.1; HTTP/2 "
          + "is offered through TLS ALPN (h2)", new JsonObject().put("version", bounded(initialLine[2])));
      served = HttpVersion.HTTP_1_1.text();
    }
    return super.createMessage(new String[] {initialLine[0], initialLine[1], served});
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    super.handleTransferEncodingChunkedWithContentLength(message);
    if (pending == null) {
      pending = new ApiFailure(ErrorCode.INVALID_REQUEST, "a request may not carry both Content-Length and "
          + "Transfer-Encoding (RFC 9112 section 6.1); the connection is closed",
          new JsonObject().put("headers", "Content-Length and Transfer-Encoding together"));
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
    if (refused) {
      buffer.skipBytes(buffer.readableBytes());
      return;
    }
    int first = out.size();
    super.decode(ctx, buffer, out);
    for (int i = first; i < out.size() && !refused; i++) {
      Object decoded = out.get(i);
      if (decoded instanceof HttpRequest request) {
        ApiFailure problem = request.decoderResult().isSuccess() ? headProblem(request) : null;
        pending = null;
        if (problem != null) {
          request.setDecoderResult(DecoderResult.failure(problem));
        }
        refused = request.decoderResult().isFailure();
      } else if (decoded instanceof HttpContent content && content.decoderResult().isFailure()) {
        // Netty's own failure (a NumberFormatException with its stack) becomes an answer without one.
        out.set(i, malformedBody(content.decoderResult().cause()));
        ReferenceCountUtil.release(content);
        refused = true;
      }
    }
    if (refused) {
      buffer.skipBytes(buffer.readableBytes());
    }
  }

  private ApiFailure headProblem(HttpRequest request) {
    if (pending != null) {
      return pending;
    }
    List<String> values = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (values.isEmpty()) {
      return null;
    }
    JsonObject details = new JsonObject().put("transfer_encoding", bounded(String.join(", ", values)));
    if (request.protocolVersion() == HttpVersion.HTTP_1_0) {
      return new ApiFailure(ErrorCode.INVALID_REQUEST, "Transfer-Encoding in an HTTP/1.0 request "
          + "(RFC 9112 section 6.1); the connection is closed", details);
    }
    List<String> codings = new ArrayList<>();
    for (String value : values) {
      for (String coding : value.split(",")) {
        if (!coding.isBlank()) {
          codings.add(coding.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    if (codings.isEmpty() || !"chunked".equals(codings.get(codings.size() - 1))
        || codings.indexOf("chunked") != codings.size() - 1) {
      return new ApiFailure(ErrorCode.INVALID_REQUEST, "the body length is unknown: chunked must be the final "
          + "transfer coding, once (RFC 9112 section 6.3); the connection is closed", details);
    }
    if (codings.size() > 1) {
      return new ApiFailure(ErrorCode.NOT_IMPLEMENTED, "only the chunked transfer coding is understood; the "
          + "connection is closed", details);
    }
    return null;
  }

  private static HttpContent malformedBody(Throwable cause) {
    HttpContent replacement = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
    replacement.setDecoderResult(DecoderResult.failure(new ApiFailure(ErrorCode.INVALID_REQUEST,
        "the chunked request body is malformed; the connection is closed",
        new JsonObject().put("body", bounded(cause == null ? "malformed" : String.valueOf(cause.getMessage()))))));
    return replacement;
  }

  /** What the client sent, quoted back at most this long (it lands in a JSON answer and a log line). */
  static String bounded(String text) {
    return text.length() > 100 ? text.substring(0, 100) + "…" : text;
  }
}
