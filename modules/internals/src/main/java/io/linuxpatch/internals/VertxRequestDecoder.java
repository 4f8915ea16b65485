package io.linuxpatch.internals;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;

/**
 * Hook 4, Vert.x' HTTP/1.x request decoder ({@code io.vertx.core.http.impl.VertxHttpRequestDecoder}): the base of a
 * decoder that takes its place ({@link HttpChannels#replaceDecoder}). Vert.x' decoder makes the request objects its
 * connection expects; a subclass keeps that and overrides Netty's public {@code HttpObjectDecoder} methods only.
 */
public abstract class VertxRequestDecoder extends VertxHttpRequestDecoder {

  protected VertxRequestDecoder(HttpServerOptions options) {
    super(options);
  }
}
