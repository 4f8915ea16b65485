package io.linuxpatch.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link PollingToken}: a path segment, and never in a text. */
class PollingTokenTest {

  @Test
  @DisplayName("the token becomes one path segment: unreserved characters kept, the rest percent-encoded")
  void pathSegment() {
    assertThat(new PollingToken("a-Z_0.9~").pathSegment()).isEqualTo("a-Z_0.9~");
    assertThat(new PollingToken("ab/../c?d=e+f").pathSegment()).isEqualTo("ab%2F..%2Fc%3Fd%3De%2Bf");
  }

  @Test
  @DisplayName("toString and redact never show it, neither as it is nor encoded")
  void neverShown() {
    PollingToken token = new PollingToken("s3cr3t/t0ken");
    assertThat(token.toString()).doesNotContain("s3cr3t");
    assertThat(token.redact("GET /api/v1/enroll/status/s3cr3t%2Ft0ken timed out; token s3cr3t/t0ken"))
        .doesNotContain("s3cr3t").contains("<polling token>");
  }

  @Test
  @DisplayName("empty, spaced, control-character or oversized tokens are refused")
  void refused() {
    for (String bad : new String[] {"", "a b", "a\nb", "é", "x".repeat(4097)}) {
      assertThatThrownBy(() -> new PollingToken(bad)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
