package io.linuxpatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link RequestShape#isJson}: which Content-Type values count as JSON (API-1). */
@Tag("API-1")
class RequestShapeTest {

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "APPLICATION/JSON", "Application/Json", "application/json; charset=utf-8",
      "application/json;charset=UTF-8", " application/json ", "application/json ;", "application/json;"})
  @DisplayName("application/json in any case, with parameters or surrounding spaces, is JSON")
  void json(String contentType) {
    assertThat(RequestShape.isJson(contentType)).isTrue();
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", " ", "text/plain", "application/xml", "application/jsonx", "application/json-patch+json",
      "application/problem+json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
      "text/json", "json", "application/", ";application/json", "application/json, text/plain"})
  @DisplayName("A missing header or any other media type is not JSON")
  void notJson(String contentType) {
    assertThat(RequestShape.isJson(contentType)).isFalse();
  }
}
