package io.linuxpatch.contract.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link Role}: the read &lt; operate &lt; admin hierarchy of SEC-6. */
@Tag("SEC-6")
class RoleTest {

  @Test
  @DisplayName("Each role grants its own permission and every permission of the roles below it")
  void hierarchy() {
    assertThat(Role.READ.permissions()).containsExactlyInAnyOrder("read");
    assertThat(Role.OPERATE.permissions()).containsExactlyInAnyOrder("read", "operate");
    assertThat(Role.ADMIN.permissions()).containsExactlyInAnyOrder("read", "operate", "admin");
    assertThat(Role.ADMIN.permissions()).containsAll(Role.OPERATE.permissions());
    assertThat(Role.OPERATE.permissions()).containsAll(Role.READ.permissions());
  }

  @Test
  @DisplayName("parse reads exactly the lower-case names json() writes and nothing else")
  void parseRoundTrip() {
    for (Role role : Role.values()) {
      assertThat(Role.parse(role.json())).isSameAs(role);
      assertThat(role.json()).isEqualTo(role.name().toLowerCase());
    }
    assertThat(Role.parse("Admin")).isNull();
    assertThat(Role.parse("ADMIN")).isNull();
    assertThat(Role.parse(" read")).isNull();
    assertThat(Role.parse("")).isNull();
    assertThat(Role.parse(null)).isNull();
  }
}
