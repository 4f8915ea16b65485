package io.linuxpatch.packages;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One page of a list answer in the API-6 shape: {@code {"<resource>": [...], "total", "limit", "offset"}},
 * where total counts every item before paging.
 */
public final class ListPage {

  private ListPage() {}

  public static JsonObject of(String resource, List<JsonObject> items, int limit, int offset) {
    JsonArray page = new JsonArray();
    items.stream().skip(offset).limit(limit).forEach(page::add);
    return new JsonObject().put(resource, page).put("total", items.size()).put("limit", limit).put("offset", offset);
  }
}
