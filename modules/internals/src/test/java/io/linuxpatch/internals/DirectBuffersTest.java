package io.linuxpatch.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Hook 6: a Vert.x buffer over Netty memory without a copy. */
@DisplayName("DirectBuffers wraps a Netty buffer without copying it, and what it wraps can be written")
class DirectBuffersTest {

  @Test
  @DisplayName("the buffer shares the Netty buffer's memory: a change to the bytes shows through")
  void sharesMemory() {
    ByteBuf bytes = Unpooled.directBuffer(16).writeBytes("envelope".getBytes(StandardCharsets.US_ASCII));
    Buffer wrapped = DirectBuffers.wrap(bytes);
    assertThat(wrapped.toString()).isEqualTo("envelope");
    bytes.setByte(0, 'E');
    assertThat(wrapped.toString()).isEqualTo("Envelope");
  }

  @Test
  @DisplayName("a response written from it reaches the client byte for byte, however often it is written")
  void written() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ByteBuf encoded = Unpooled.unreleasableBuffer(Unpooled.directBuffer()
          .writeBytes("{\"packages\":[]}".getBytes(StandardCharsets.UTF_8)));
      int port = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
          .requestHandler(r -> r.response().end(DirectBuffers.wrap(encoded.duplicate())))
          .listen().await(10, TimeUnit.SECONDS).actualPort();
      HttpClient client = vertx.createHttpClient();
      for (int i = 0; i < 3; i++) {
        String body = client.request(HttpMethod.GET, port, "127.0.0.1", "/")
            .compose(request -> request.send().compose(response -> response.body()))
            .await(10, TimeUnit.SECONDS).toString();
        assertThat(body).isEqualTo("{\"packages\":[]}");
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
