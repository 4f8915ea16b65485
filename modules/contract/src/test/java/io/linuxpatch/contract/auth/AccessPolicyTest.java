package io.linuxpatch.contract.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.auth.AccessGrant.Ground;
import io.linuxpatch.contract.config.AuthorizationConfig;
import io.linuxpatch.contract.config.AuthorizationConfig.ClientRule;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link AccessPolicy}: roles by certificate and CN glob, host certificates, the default (SEC-6); the allow-list. */
@Tag("SEC-6")
class AccessPolicyTest {

  private static final String FINGERPRINT_A = "a".repeat(64);
  private static final String FINGERPRINT_B = "b".repeat(64);

  private static AccessPolicy withRules(ClientRule... rules) {
    return new AccessPolicy(IpAllowList.denyAll(), new AuthorizationConfig(true, false, List.of(rules)), 1);
  }

  private static ClientRule rule(String key, Role role) throws ClientSelector.Invalid {
    return new ClientRule(ClientSelector.parse(key), role);
  }

  /** A client certificate (clientAuth only) with this CN. */
  private static ClientIdentity client(String commonName) {
    return new ClientIdentity(commonName, "1f", FINGERPRINT_A, false);
  }

  private static Role roleOf(AccessPolicy policy, String commonName) {
    return policy.grantOf(client(commonName)).role();
  }

  @Test
  @DisplayName("Without an authorization section every client certificate, even one without a CN, may read and nothing more")
  void absentSectionMeansRead() {
    AccessPolicy policy = new AccessPolicy(IpAllowList.denyAll(), AuthorizationConfig.absent(), 1);
    assertThat(policy.grantOf(client("anyone"))).isEqualTo(new AccessGrant(Role.READ, Ground.DEFAULT_READ));
    assertThat(roleOf(policy, "")).isEqualTo(Role.READ);
    assertThat(roleOf(policy, null)).isEqualTo(Role.READ);
    assertThat(AccessPolicy.denyAll().grantOf(client("x")).role()).isEqualTo(Role.READ);
    assertThat(policy.grantOf(client("anyone")).permits("read")).isTrue();
    assertThat(policy.grantOf(client("anyone")).permits("operate")).isFalse();
    assertThat(policy.grantOf(client("anyone")).permits("admin")).isFalse();
  }

  @Test
  @DisplayName("A host certificate gets no permission, not even read and not even from a rule naming it, unless allow_host_certificates")
  void hostCertificateRefused() throws Exception {
    ClientIdentity host = new ClientIdentity("web-1", "2a", FINGERPRINT_B, true);
    assertThat(AccessPolicy.denyAll().grantOf(host)).isEqualTo(new AccessGrant(null, Ground.HOST_CERTIFICATE));
    List<ClientRule> rules = List.of(rule("sha256:" + FINGERPRINT_B, Role.ADMIN), rule("*", Role.ADMIN));
    AccessPolicy refusing = new AccessPolicy(null, new AuthorizationConfig(true, false, rules), 2);
    assertThat(refusing.grantOf(host)).isEqualTo(new AccessGrant(null, Ground.HOST_CERTIFICATE));
    assertThat(refusing.grantOf(host).permits("read")).isFalse();
    assertThat(refusing.grantOf(client("web-1")).role()).as("a client certificate with the same CN").isEqualTo(Role.ADMIN);

    AccessPolicy allowing = new AccessPolicy(null, new AuthorizationConfig(true, true, rules), 3);
    assertThat(allowing.grantOf(host)).isEqualTo(new AccessGrant(Role.ADMIN, Ground.CERTIFICATE_RULE));
    AccessPolicy allowingNoRules = new AccessPolicy(null, new AuthorizationConfig(true, true, List.of()), 4);
    assertThat(allowingNoRules.grantOf(host)).as("allowed, but no rule grants it anything")
        .isEqualTo(new AccessGrant(null, Ground.NO_RULE));
  }

  @Test
  @DisplayName("The first rule whose glob matches decides, in file order")
  void firstMatchWins() throws Exception {
    AccessPolicy policy = withRules(rule("ops-admin", Role.ADMIN), rule("ops-*", Role.OPERATE), rule("*", Role.READ));
    assertThat(roleOf(policy, "ops-admin")).isEqualTo(Role.ADMIN);
    assertThat(roleOf(policy, "ops-bob")).isEqualTo(Role.OPERATE);
    assertThat(roleOf(policy, "monitor")).isEqualTo(Role.READ);
    assertThat(policy.grantOf(client("monitor")).ground()).isEqualTo(Ground.NAME_RULE);

    AccessPolicy reversed = withRules(rule("*", Role.READ), rule("ops-admin", Role.ADMIN));
    assertThat(roleOf(reversed, "ops-admin")).isEqualTo(Role.READ);
  }

  @Test
  @DisplayName("A rule naming the certificate by fingerprint or serial wins over every CN glob, wherever it stands")
  void exactRulesWin() throws Exception {
    AccessPolicy policy = withRules(rule("ops-*", Role.READ), rule("SHA256:" + FINGERPRINT_A.toUpperCase(), Role.ADMIN),
        rule("serial:00:2A", Role.OPERATE));
    ClientIdentity a = new ClientIdentity("ops-1", "1f", FINGERPRINT_A, false);
    ClientIdentity sameNameOtherKey = new ClientIdentity("ops-1", "30", FINGERPRINT_B, false);
    ClientIdentity bySerial = new ClientIdentity("ops-2", "2a", FINGERPRINT_B, false);
    assertThat(policy.grantOf(a)).isEqualTo(new AccessGrant(Role.ADMIN, Ground.CERTIFICATE_RULE));
    assertThat(policy.grantOf(sameNameOtherKey)).isEqualTo(new AccessGrant(Role.READ, Ground.NAME_RULE));
    assertThat(policy.grantOf(bySerial)).isEqualTo(new AccessGrant(Role.OPERATE, Ground.CERTIFICATE_RULE));

    AccessPolicy onlyExact = withRules(rule("sha256:" + FINGERPRINT_A, Role.OPERATE));
    assertThat(onlyExact.grantOf(sameNameOtherKey)).isEqualTo(new AccessGrant(null, Ground.NO_RULE));
  }

  @Test
  @DisplayName("With a configured section a CN no rule matches, or no CN at all, has no role")
  void noMatchIsNull() throws Exception {
    AccessPolicy policy = withRules(rule("ops-?", Role.OPERATE));
    assertThat(roleOf(policy, "ops-1")).isEqualTo(Role.OPERATE);
    assertThat(roleOf(policy, "ops-12")).isNull();
    assertThat(roleOf(policy, "ops-")).isNull();
    assertThat(roleOf(policy, null)).isNull();
    assertThat(policy.grantOf(null)).isEqualTo(new AccessGrant(null, Ground.NO_RULE));
    assertThat(withRules().grantOf(client("anyone"))).isEqualTo(new AccessGrant(null, Ground.NO_RULE));
  }

  @Test
  @DisplayName("Glob characters other than * and ? are literal: a.b does not match aXb, [ab] matches only itself")
  void otherCharactersAreLiteral() throws Exception {
    AccessPolicy policy = withRules(rule("a.b", Role.READ), rule("[ab]+", Role.OPERATE));
    assertThat(roleOf(policy, "a.b")).isEqualTo(Role.READ);
    assertThat(roleOf(policy, "aXb")).isNull();
    assertThat(roleOf(policy, "a")).isNull();
    assertThat(roleOf(policy, "aa")).isNull();
    assertThat(roleOf(policy, "[ab]+")).isEqualTo(Role.OPERATE);
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
    assertThat(ClientSelector.CommonNameGlob.globMatches(glob, text)).isEqualTo(matches);
  }

  @Test
  @DisplayName("A policy built without an allow-list denies every address; allows delegates to the list")
  void nullAllowListDenies() throws Exception {
    AccessPolicy policy = new AccessPolicy(null, AuthorizationConfig.absent(), 3);
    assertThat(policy.allowList()).isSameAs(IpAllowList.denyAll());
    assertThat(policy.allows(InetAddress.getByName("127.0.0.1"))).isFalse();
    AccessPolicy open = new AccessPolicy(IpAllowList.of(List.of(
        IpAllowList.Range.of(InetAddress.getByName("127.0.0.1"), "127.0.0.1"))), policy.authorization(), 4);
    assertThat(open.allows(InetAddress.getByName("127.0.0.1"))).isTrue();
    assertThat(AccessPolicy.denyAll().allows(InetAddress.getByName("127.0.0.1"))).isFalse();
    assertThat(AccessPolicy.denyAll().generation()).isZero();
  }
}
