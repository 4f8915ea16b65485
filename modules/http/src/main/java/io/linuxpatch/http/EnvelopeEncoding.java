package io.linuxpatch.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The bytes of a successful API-2 envelope, {@code {"success":true,"request_id":…,"timestamp":…,"data":…,
 * "error":null}}, exactly as encoding the envelope object would give them, built without that object: the
 * per-request head is a few dozen bytes, and the data, when it was encoded once for many requests
 * ({@link io.linuxpatch.contract.EncodedJson}), is referenced, not copied (issue 7).
 */
public final class EnvelopeEncoding {

  private static final byte[] HEAD = "{\"success\":true,\"request_id\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TAIL = ",\"error\":null}".getBytes(StandardCharsets.US_ASCII);

  /** The timestamp of the current millisecond, formatted once per millisecond at most. */
  private static volatile Stamp lastStamp = new Stamp(Long.MIN_VALUE, "");

  private record Stamp(long millis, String text) {}

  /** The most plaintext one TLS record carries (RFC 8446 5.1), which is also what SslHandler encrypts at once. */
  private static final int ONE_RECORD = 16 * 1024;

  private EnvelopeEncoding() {}

  /** {@link #TAIL} in direct memory, shared by every answer (read-only views). */
  private static final ByteBuf DIRECT_TAIL = Unpooled.unreleasableBuffer(
      Unpooled.directBuffer(TAIL.length).writeBytes(TAIL).asReadOnly());

  /**
   * The envelope around {@code data}, a view of already encoded JSON (the caller's duplicate). Every part
   * is in direct memory, so the TLS engine encrypts straight from the shared encoded data: a heap part
   * would make Netty's SslHandler copy the whole answer (a 1,000-package listing is 200 KiB) into a new
   * direct buffer for every request. The caller releases the result once it is written (a
   * write through Vert.x releases nothing: {@code Envelope.answer}).
   */
  public static ByteBuf ok(String requestId, String timestamp, ByteBuf data) {
    byte[] head = head(requestId, timestamp);
    int size = head.length + data.readableBytes() + TAIL.length;
    if (size <= ONE_RECORD) {
      // Small answers (a health probe: 2 KiB) in one buffer: SslHandler gathers everything that fits a TLS
      // record into one buffer anyway, and out of a composite it did so through a heap copy of the parts
      // (CompositeByteBuf.nioBuffer), the largest allocation of a probe (issue 7 profile).
      ByteBuf whole = ByteBufAllocator.DEFAULT.directBuffer(size, size)
          .writeBytes(head).writeBytes(data, data.readerIndex(), data.readableBytes()).writeBytes(TAIL);
      data.release();
      return whole;
    }
    ByteBuf directHead = ByteBufAllocator.DEFAULT.directBuffer(head.length, head.length).writeBytes(head);
    return Unpooled.wrappedBuffer(directHead, data, DIRECT_TAIL.duplicate());
  }

  /** The envelope around {@code data}, encoded here (once, straight into the answer). */
  public static ByteBuf ok(String requestId, String timestamp, JsonObject data) {
    byte[] head = head(requestId, timestamp);
    byte[] body = data == null ? "null".getBytes(StandardCharsets.US_ASCII)
        : data.encode().getBytes(StandardCharsets.UTF_8);
    return Unpooled.wrappedBuffer(new byte[][] {head, body, TAIL});
  }

  private static byte[] head(String requestId, String timestamp) {
    StringBuilder head = new StringBuilder(96);
    appendString(head, requestId);
    head.append(",\"timestamp\":");
    appendString(head, timestamp);
    head.append(",\"data\":");
    byte[] text = head.toString().getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[HEAD.length + text.length];
    System.arraycopy(HEAD, 0, out, 0, HEAD.length);
    System.arraycopy(text, 0, out, HEAD.length, text.length);
    return out;
  }

  /** A JSON string; request ids and timestamps need no escaping, anything else goes through Jackson. */
  private static void appendString(StringBuilder out, String value) {
    if (value == null) {
      out.append("null");
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) {
        out.append(Json.encode(value));
        return;
      }
    }
    out.append('"').append(value).append('"');
  }

  /** RFC 3339 UTC with Z, millisecond precision (as {@link Instant#toString()} of the truncated instant). */
  public static String now() {
    long millis = System.currentTimeMillis();
    Stamp stamp = lastStamp;
    if (stamp.millis() != millis) {
      stamp = new Stamp(millis, Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.MILLIS).toString());
      lastStamp = stamp;
    }
    return stamp.text();
  }
}
