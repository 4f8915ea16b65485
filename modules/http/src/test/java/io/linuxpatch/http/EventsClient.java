package io.linuxpatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A WebSocket client of {@code /api/v1/ws/jobs} as a test sees it: the frames received, in order, and the close. */
final class EventsClient implements AutoCloseable {

  final WebSocket ws;
  /** Held for the socket's life: Vert.x closes the connections of a client that is garbage-collected. */
  private final WebSocketClient client;
  private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final AtomicInteger received = new AtomicInteger();
  private final Promise<Short> closed = Promise.promise();

  EventsClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(text -> {
      received.incrementAndGet();
      frames.add(new JsonObject(text));
    });
    ws.closeHandler(v -> closed.tryComplete(ws.closeStatusCode()));
  }

  void send(JsonObject message) {
    ws.writeTextMessage(message.encode());
  }

  void send(String text) {
    ws.writeTextMessage(text);
  }

  /** The next frame the server sent, waiting at most {@code timeout}. */
  JsonObject next(Duration timeout) throws InterruptedException {
    JsonObject frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(frame).as("a frame within " + timeout).isNotNull();
    return frame;
  }

  JsonObject next() throws InterruptedException {
    return next(Duration.ofSeconds(5));
  }

  /**
   * Sends a ping message and waits for its pong: the server handles messages in order, so every message
   * sent before is handled. Fails on any other frame in between.
   */
  void roundTrip() throws InterruptedException {
    send(new JsonObject().put("type", "ping"));
    assertThat(next()).isEqualTo(new JsonObject().put("type", "pong"));
  }

  /** Frames received so far and not taken by {@link #next}. */
  int pending() {
    return frames.size();
  }

  int receivedCount() {
    return received.get();
  }

  /** The close status once the connection has ended (null when it ended without a close frame). */
  io.vertx.core.Future<Short> closed() {
    return closed.future();
  }

  @Override
  public void close() {
    if (!ws.isClosed()) {
      ws.close();
    }
    client.close();
  }
}
