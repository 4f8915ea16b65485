package io.linuxpatch.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list answer in the API-6 shape, {@code {"<resource>": [...], "total", "limit", "offset"}} with
 * {@code total} counted before paging: the one paging rule of every list endpoint (packages, patches, holds, jobs),
 * whichever module owns the items.
 */
public final class ListPage {

  /** API-6: the page size when a request names none. */
  public static final int DEFAULT_LIMIT = 100;

  private ListPage() {}

  /**
   * The page of {@code sorted} from {@code offset}, at most {@code limit} items, each as {@code toJson} shows it
   * (only the items on the page are converted).
   */
  public static <T> JsonObject of(String resource, List<T> sorted, int limit, int offset,
      Function<? super T, JsonObject> toJson) {
    JsonArray page = new JsonArray();
    int end = (int) Math.min(sorted.size(), (long) offset + limit);
    for (int i = offset; i < end; i++) {
      page.add(toJson.apply(sorted.get(i)));
    }
    return new JsonObject().put(resource, page).put("total", sorted.size()).put("limit", limit).put("offset", offset);
  }

  /** The page of items that are already JSON. */
  public static JsonObject of(String resource, List<JsonObject> sorted, int limit, int offset) {
    return of(resource, sorted, limit, offset, Function.identity());
  }

  /** The page a list query asks for: its {@code limit} (default {@value #DEFAULT_LIMIT}) and {@code offset} (0). */
  public static <T> JsonObject of(String resource, List<T> sorted, JsonObject query,
      Function<? super T, JsonObject> toJson) {
    return of(resource, sorted, query.getInteger("limit", DEFAULT_LIMIT), query.getInteger("offset", 0), toJson);
  }
}
