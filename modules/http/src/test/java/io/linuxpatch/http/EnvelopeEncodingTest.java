package io.linuxpatch.http;

import static org.assertj.core.api.Assertions.assertThat;
import org.junit.jupiter.api.Tag;

import io.linuxpatch.contract.EncodedJson;
import io.netty.buffer.ByteBuf;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** API-2's bytes built without the envelope object are exactly those of encoding the object. */
@Tag("API-2")
class EnvelopeEncodingTest {

  private static JsonObject data(int rows) {
    JsonArray packages = new JsonArray();
    for (int i = 0; i < rows; i++) {
      packages.add(new JsonObject().put("name", "pkg-" + i).put("version", "1." + i + "-1").put("note", "é\"\\"));
    }
    return new JsonObject().put("packages", packages).put("total", rows);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 10, 1000})
  void sameBytesAsTheObject(int rows) {
    JsonObject data = data(rows);
    EncodedJson encoded = EncodedJson.of(data);
    String expected = new JsonObject().put("success", true).put("request_id", "req-1")
        .put("timestamp", "2026-12-02T10:00:00.000Z").put("data", data).putNull("error").encode();

    ByteBuf answer = EnvelopeEncoding.ok("req-1", "2026-12-02T10:00:00.000Z", encoded.bytes());
    try {
      assertThat(answer.isDirect()).as("direct, so TLS encrypts without a copy").isTrue();
      assertThat(answer.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
    } finally {
      assertThat(answer.release()).isTrue();
    }
    // The shared encoded data is untouched by the answer's life: a second answer has the same bytes.
    ByteBuf again = EnvelopeEncoding.ok("req-1", "2026-12-02T10:00:00.000Z", encoded.bytes());
    assertThat(again.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
    again.release();
  }
}
