package io.linuxpatch.contract.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.config.AuthorizationConfig;
import io.linuxpatch.contract.config.AuthorizationConfig.ClientRule;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link AccessPolicy}: roles by CN glob (SEC-6) and the allow-list it carries. */
class AccessPolicyTest {

  private static AccessPolicy withRules(ClientRule... rules) {
    return new AccessPolicy(IpAllowList.denyAll(), new AuthorizationConfig(true, List.of(rules)), 1);
  }

  @Test
  @DisplayName("Without an authorization section every client, even one without a CN, is admin")
  void absentSectionMeansAdmin() {
    AccessPolicy policy = new AccessPolicy(IpAllowList.denyAll(), new AuthorizationConfig(false, List.of()), 1);
    assertThat(policy.roleOf("anyone")).isEqualTo(Role.ADMIN);
    assertThat(policy.roleOf("")).isEqualTo(Role.ADMIN);
    assertThat(policy.roleOf(null)).isEqualTo(Role.ADMIN);
    assertThat(AccessPolicy.denyAll().roleOf("x")).isEqualTo(Role.ADMIN);
  }

  @Test
  @DisplayName("The first rule whose glob matches decides, in file order")
  void firstMatchWins() {
    AccessPolicy policy = withRules(
        new ClientRule("ops-admin", Role.ADMIN),
        new ClientRule("ops-*", Role.OPERATE),
        new ClientRule("*", Role.READ));
    assertThat(policy.roleOf("ops-admin")).isEqualTo(Role.ADMIN);
    assertThat(policy.roleOf("ops-bob")).isEqualTo(Role.OPERATE);
    assertThat(policy.roleOf("monitor")).isEqualTo(Role.READ);

    AccessPolicy reversed = withRules(new ClientRule("*", Role.READ), new ClientRule("ops-admin", Role.ADMIN));
    assertThat(reversed.roleOf("ops-admin")).isEqualTo(Role.READ);
  }

  @Test
  @DisplayName("With a configured section a CN no rule matches, or no CN at all, has no role")
  void noMatchIsNull() {
    AccessPolicy policy = withRules(new ClientRule("ops-?", Role.OPERATE));
    assertThat(policy.roleOf("ops-1")).isEqualTo(Role.OPERATE);
    assertThat(policy.roleOf("ops-12")).isNull();
    assertThat(policy.roleOf("ops-")).isNull();
    assertThat(policy.roleOf(null)).isNull();
    assertThat(withRules().roleOf("anyone")).isNull();
  }

  @Test
  @DisplayName("Glob characters other than * and ? are literal: a.b does not match aXb, [ab] matches only itself")
  void otherCharactersAreLiteral() {
    AccessPolicy policy = withRules(new ClientRule("a.b", Role.READ), new ClientRule("[ab]+", Role.OPERATE));
    assertThat(policy.roleOf("a.b")).isEqualTo(Role.READ);
    assertThat(policy.roleOf("aXb")).isNull();
    assertThat(policy.roleOf("a")).isNull();
    assertThat(policy.roleOf("aa")).isNull();
    assertThat(policy.roleOf("[ab]+")).isEqualTo(Role.OPERATE);
  }

  @ParameterizedTest(name = "\"{0}\" ~ \"{1}\" = {2}")
  @CsvSource(value = {
      "'', '', true",
      "'', a, false",
      "*, '', true",
      "*, anything at all, true",
      "**, '', true",
      "**, ab, true",
      "a**b, ab, true",
      "a**b, aXYb, true",
      "a*, a, true",
      "*a, ba, true",
      "*a, ab, false",
      "*ab, aab, true",
      "a*b*c, axxbyyc, true",
      "a*c, abcb, false",
      "?, '', false",
      "?, x, true",
      "??, x, false",
      "a?c, abc, true",
      "a?c, ac, false",
      "fleet-manager, fleet-manager, true",
      "fleet-manager, Fleet-Manager, false",
      "fleet-manager, fleet-manager2, false",
      "*.example.com, host.example.com, true",
      "*.example.com, example.com, false",
  })
  @DisplayName("globMatches: * matches any run (also empty), ? exactly one character, case-sensitive, whole text")
  void globEdgeCases(String glob, String text, boolean matches) {
    assertThat(AccessPolicy.globMatches(glob, text)).isEqualTo(matches);
  }

  @Test
  @DisplayName("A policy built without an allow-list denies every address; allows delegates to the list")
  void nullAllowListDenies() throws Exception {
    AccessPolicy policy = new AccessPolicy(null, new AuthorizationConfig(false, List.of()), 3);
    assertThat(policy.allowList()).isSameAs(IpAllowList.denyAll());
    assertThat(policy.allows(InetAddress.getByName("127.0.0.1"))).isFalse();
    AccessPolicy open = new AccessPolicy(IpAllowList.of(List.of(
        IpAllowList.Range.of(InetAddress.getByName("127.0.0.1"), "127.0.0.1"))), policy.authorization(), 4);
    assertThat(open.allows(InetAddress.getByName("127.0.0.1"))).isTrue();
    assertThat(AccessPolicy.denyAll().allows(InetAddress.getByName("127.0.0.1"))).isFalse();
    assertThat(AccessPolicy.denyAll().generation()).isZero();
  }
}
