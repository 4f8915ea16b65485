package io.linuxpatch.contract.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ClientSelector#parse}: the keys of {@code authorization.clients}. */
class ClientSelectorTest {

  private static final String HEX = "0123456789abcdef".repeat(4);

  @Test
  @DisplayName("sha256: takes openssl's fingerprint as printed (upper case, colons) and matches only that fingerprint")
  void fingerprint() throws Exception {
    StringBuilder openssl = new StringBuilder();
    for (int i = 0; i < HEX.length(); i += 2) {
      openssl.append(i == 0 ? "" : ":").append(HEX.substring(i, i + 2).toUpperCase());
    }
    ClientSelector selector = ClientSelector.parse("sha256:" + openssl);
    assertThat(selector).isEqualTo(new ClientSelector.Fingerprint(HEX));
    assertThat(selector.exact()).isTrue();
    assertThat(selector.key()).isEqualTo("sha256:" + HEX);
    assertThat(selector.matches(new ClientIdentity("x", "1", HEX, false))).isTrue();
    assertThat(selector.matches(new ClientIdentity("x", "1", HEX.replace('0', 'f'), false))).isFalse();
  }

  @Test
  @DisplayName("serial: takes openssl's serial as printed (upper case, leading zeros, colons) and compares it as a number")
  void serial() throws Exception {
    ClientSelector selector = ClientSelector.parse("serial:00:0A:1B");
    assertThat(selector).isEqualTo(new ClientSelector.Serial("a1b"));
    assertThat(selector.exact()).isTrue();
    assertThat(selector.matches(new ClientIdentity("x", "a1b", HEX, false))).isTrue();
    assertThat(selector.matches(new ClientIdentity("x", "a1c", HEX, false))).isFalse();
  }

  @Test
  @DisplayName("Any other key is a CN glob, matched against the CN only")
  void glob() throws Exception {
    ClientSelector selector = ClientSelector.parse("ops-*");
    assertThat(selector).isEqualTo(new ClientSelector.CommonNameGlob("ops-*"));
    assertThat(selector.exact()).isFalse();
    assertThat(selector.matches(new ClientIdentity("ops-1", "1", HEX, false))).isTrue();
    assertThat(selector.matches(new ClientIdentity(null, "1", HEX, false))).isFalse();
    assertThat(selector.matches(null)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha256:", "sha256:abc", "sha256:" + "g123456789abcdef" + "0123456789abcdef0123456789abcdef0123456789abcdef",
      "serial:", "serial:xyz", "serial:-1", "", " "})
  @DisplayName("A malformed fingerprint or serial, or an empty key, is refused with a reason")
  void malformed(String key) {
    assertThatThrownBy(() -> ClientSelector.parse(key)).isInstanceOf(ClientSelector.Invalid.class)
        .hasMessageMatching(".*(64 hex digits|hex digits|must not be empty).*");
  }
}
