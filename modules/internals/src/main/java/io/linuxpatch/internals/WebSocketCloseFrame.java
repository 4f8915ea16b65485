package io.linuxpatch.internals;

import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import java.nio.charset.StandardCharsets;

/**
 * Hook 5, Vert.x' WebSocket frame class ({@code io.vertx.core.http.impl.ws.WebSocketFrameImpl}, a package that moves
 * in Vert.x 5.1): a close frame to queue with {@code writeFrame} like any other. {@code WebSocketFrame}'s public
 * factories make no close frame, and {@code ServerWebSocket.close} holds the connection until the frame is flushed
 * — never, for a client that does not read — so a client that is too slow could not be told why it is closed.
 */
public final class WebSocketCloseFrame {

  private WebSocketCloseFrame() {}

  /** A final close frame with {@code code} and {@code reason} (RFC 6455 §5.5.1: two bytes of code, then UTF-8). */
  public static WebSocketFrame of(short code, String reason) {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[2 + text.length];
    payload[0] = (byte) (code >> 8);
    payload[1] = (byte) code;
    System.arraycopy(text, 0, payload, 2, text.length);
    return new WebSocketFrameImpl(WebSocketFrameType.CLOSE, payload, true);
  }
}
