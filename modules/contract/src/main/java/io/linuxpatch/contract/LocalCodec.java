package io.linuxpatch.contract;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes an immutable object by reference between verticles of the same process.
 *
 * <p>Snapshots such as {@code AccessPolicy} are immutable records, so handing the same instance to every
 * HTTP verticle is safe and costs nothing. They never leave the process: encoding for the wire is refused.
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {

  private final Class<T> type;

  public LocalCodec(Class<T> type) {
    this.type = type;
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    throw new IllegalStateException(type.getSimpleName() + " is process-local and never crosses the cluster");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new IllegalStateException(type.getSimpleName() + " is process-local and never crosses the cluster");
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return "local-" + type.getName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }

  /** Registers the codec as the default for {@code type} unless it already is (idempotent per Vert.x). */
  public static <T> void register(EventBus bus, Class<T> type) {
    try {
      bus.registerDefaultCodec(type, new LocalCodec<>(type));
    } catch (IllegalStateException alreadyRegistered) {
      // A second verticle of the same process registered it first: same codec, nothing to do.
    }
  }
}
