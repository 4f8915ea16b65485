package io.linuxpatch.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Hook 5: a close frame queued like any frame. */
@DisplayName("WebSocketCloseFrame makes a close frame a client reads as code and reason")
class WebSocketCloseFrameTest {

  @Test
  @DisplayName("the frame is a final CLOSE frame with the code and the reason")
  void frame() {
    WebSocketFrame frame = WebSocketCloseFrame.of((short) 1008, "too slow");
    assertThat(frame.type()).isEqualTo(WebSocketFrameType.CLOSE);
    assertThat(frame.isFinal()).isTrue();
    assertThat(frame.closeStatusCode()).isEqualTo((short) 1008);
    assertThat(frame.closeReason()).isEqualTo("too slow");
  }

  @Test
  @DisplayName("written by a server, a client sees the connection closed with that code and reason")
  void delivered() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      int port = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
          // Once the client has its close handler in place, which it says by sending a message.
          .webSocketHandler(ws -> ws.textMessageHandler(text -> ws.writeFrame(WebSocketCloseFrame.of((short) 1008,
              "too slow"))))
          .listen().await(10, TimeUnit.SECONDS).actualPort();
      CompletableFuture<String> closed = new CompletableFuture<>();
      WebSocketClient client = vertx.createWebSocketClient();
      WebSocket ws = client.connect(port, "127.0.0.1", "/").await(10, TimeUnit.SECONDS);
      ws.closeHandler(v -> closed.complete(ws.closeStatusCode() + " " + ws.closeReason()));
      ws.writeTextMessage("ready");

      assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo("1008 too slow");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
