package io.linuxpatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link RequestIds#accepted}: API-3's rule for taking the caller's X-Request-ID. */
@Tag("API-3")
class RequestIdsTest {

  private static void assertFreshUuid(String candidate) {
    String id = RequestIds.accepted(candidate);
    assertThat(id).isNotEqualTo(candidate);
    assertThat(UUID.fromString(id).toString()).isEqualTo(id);
    assertThat(UUID.fromString(id).version()).as("random UUID").isEqualTo(4);
    assertThat(UUID.fromString(id).variant()).as("RFC 4122 variant").isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "Z", "0", ".", "_", "-", "abcXYZ019", "req-1.2_3", "...", "---"})
  @DisplayName("An id of 1-64 characters from [A-Za-z0-9._-] is taken as it is, for every allowed character class")
  void acceptedAsIs(String candidate) {
    assertThat(RequestIds.accepted(candidate)).isEqualTo(candidate);
  }

  @Test
  @DisplayName("Every allowed character alone is accepted")
  void everyAllowedCharacter() {
    String allowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
    for (char c : allowed.toCharArray()) {
      assertThat(RequestIds.accepted(String.valueOf(c))).isEqualTo(String.valueOf(c));
    }
  }

  @Test
  @DisplayName("64 characters are accepted, 65 are replaced by a UUID")
  void lengthLimit() {
    assertThat(RequestIds.accepted("x".repeat(64))).isEqualTo("x".repeat(64));
    assertFreshUuid("x".repeat(65));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "a/b", "a b", " a", "a\tb", "a\nb", "é", "ünïcode", "a:b", "a+b", "a%2Fb", "<script>",
      "\u0000", "a\u2013b", "\uD83D\uDE00"})
  @DisplayName("A missing, empty or otherwise-charactered id (slash, space, control, unicode) is replaced by a UUID")
  void refusedBecomeUuid(String candidate) {
    assertFreshUuid(candidate);
  }

  @Test
  @DisplayName("Each replaced id is a new UUID")
  void freshEachTime() {
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(RequestIds.accepted(null));
    }
    assertThat(ids).hasSize(10_000);
  }
}
