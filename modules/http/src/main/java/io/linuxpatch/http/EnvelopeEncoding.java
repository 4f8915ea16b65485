package io.linuxpatch.http;

import io.netty.buffer.ByteBuf;
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

  private EnvelopeEncoding() {}

  /** The envelope around {@code data}, a view of already encoded JSON (the caller's duplicate). */
  public static ByteBuf ok(String requestId, String timestamp, ByteBuf data) {
    return Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(head(requestId, timestamp)), data, Unpooled.wrappedBuffer(TAIL));
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
