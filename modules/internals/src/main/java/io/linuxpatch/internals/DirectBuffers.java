package io.linuxpatch.internals;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * Hook 6, Vert.x' buffer internals ({@code io.vertx.core.internal.buffer.BufferInternal}): a Vert.x {@code Buffer}
 * over a Netty buffer without copying it. The API's encoded answers (a 1,000-package listing is 217 KB) are kept in
 * direct memory and written by reference (issue 7); the public {@code Buffer.buffer(byte[])} copies each time.
 */
public final class DirectBuffers {

  private DirectBuffers() {}

  /** A buffer over {@code bytes}' readable bytes, sharing their memory (what writes it releases nothing of it). */
  public static Buffer wrap(ByteBuf bytes) {
    return BufferInternal.buffer(bytes);
  }
}
