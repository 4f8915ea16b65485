package io.linuxpatch.contract;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A JSON object already serialized, passed by reference over the event bus ({@link LocalCodec}): an answer
 * that is the same for many requests (a listing of unchanged packages) is encoded once by its owner and
 * written by every HTTP verticle as it is, with no copy of the object tree on the bus and no re-encoding.
 * The bytes live in one read-only direct buffer (what the TLS engine encrypts from); {@link #bytes()}
 * hands out independent views of it.
 */
public final class EncodedJson {

  private final ByteBuf bytes;

  private EncodedJson(byte[] utf8) {
    // The JDK's own direct buffer, freed by its cleaner when this object is collected, on every Java: many
    // writers share it and nobody knows which is last, so it cannot be released by reference count. Netty's
    // Unpooled.directBuffer was freed by the collector only while Netty used sun.misc.Unsafe; on Java 25 Netty
    // takes memory from a shared Arena that only an explicit release frees (issue 16: a /health answer is
    // encoded once a second, and none of those was ever freed).
    ByteBuffer direct = ByteBuffer.allocateDirect(utf8.length).put(utf8).flip();
    this.bytes = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct).asReadOnly());
  }

  /** Encodes {@code object} once. */
  public static EncodedJson of(JsonObject object) {
    return new EncodedJson(object.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** A view of the UTF-8 bytes with its own reader index (safe to hand to several writers at once). */
  public ByteBuf bytes() {
    return bytes.duplicate();
  }

  public int length() {
    return bytes.readableBytes();
  }

  /** Decodes the bytes again (tests and callers that need the object, never the HTTP path). */
  public JsonObject decode() {
    return new JsonObject(bytes.toString(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
