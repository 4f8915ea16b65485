package io.linuxpatch.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** API-6's page shape, the one paging rule of every list endpoint. */
@Tag("API-6")
class ListPageTest {

  private static final List<Integer> ITEMS = List.of(1, 2, 3, 4, 5);

  private static JsonObject page(int limit, int offset) {
    return ListPage.of("items", ITEMS, limit, offset, i -> new JsonObject().put("n", i));
  }

  @Test
  @DisplayName("a page holds at most limit items from offset; total counts every item before paging")
  void pages() {
    JsonObject page = page(2, 1);
    assertThat(page.getJsonArray("items")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("n", 2)).add(new JsonObject().put("n", 3)));
    assertThat(page.getInteger("total")).isEqualTo(5);
    assertThat(page.getInteger("limit")).isEqualTo(2);
    assertThat(page.getInteger("offset")).isEqualTo(1);
  }

  @Test
  @DisplayName("an offset past the end gives an empty page, still with the total")
  void pastTheEnd() {
    assertThat(page(100, 7).getJsonArray("items")).isEmpty();
    assertThat(page(100, 7).getInteger("total")).isEqualTo(5);
    assertThat(page(Integer.MAX_VALUE, 4).getJsonArray("items")).hasSize(1);
  }

  @Test
  @DisplayName("a query without limit and offset gets 100 from 0")
  void defaults() {
    JsonObject page = ListPage.of("items", ITEMS, new JsonObject(), i -> new JsonObject().put("n", i));
    assertThat(page.getInteger("limit")).isEqualTo(ListPage.DEFAULT_LIMIT).isEqualTo(100);
    assertThat(page.getInteger("offset")).isZero();
    assertThat(page.getJsonArray("items")).hasSize(5);
  }
}
