package io.linuxpatch.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * API-3: takes the caller's {@code X-Request-ID} when it is 1-64 characters of {@code [A-Za-z0-9._-]},
 * otherwise makes a UUID; stores it in the routing context and echoes it in the response header.
 */
final class RequestIds implements Handler<RoutingContext> {

  static final String HEADER = "X-Request-ID";
  private static final String KEY = "lpa.request_id";

  @Override
  public void handle(RoutingContext ctx) {
    String id = accepted(ctx.request().getHeader(HEADER));
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  /** The request id of this request; one is made when an early failure skipped the handler. */
  static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    if (id == null) {
      id = accepted(ctx.request().getHeader(HEADER));
      ctx.put(KEY, id);
      ctx.response().putHeader(HEADER, id);
    }
    return id;
  }

  static String accepted(String candidate) {
    if (candidate == null || candidate.isEmpty() || candidate.length() > 64) {
      return madeUp();
    }
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      if (!ok) {
        return madeUp();
      }
    }
    return candidate;
  }

  /**
   * A random (version 4) UUID from the event loop's {@link ThreadLocalRandom}. A request id correlates log
   * lines and is no secret, so {@link UUID#randomUUID()}'s SecureRandom — a shared, synchronized generator
   * that was 4% of a health probe's cost (issue 7 profile) — buys nothing here.
   */
  private static String madeUp() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
