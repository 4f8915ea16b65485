package io.linuxpatch.contract.auth;

import io.linuxpatch.contract.config.AuthorizationConfig;
import java.net.InetAddress;
import java.util.List;

/**
 * The immutable snapshot AuthVerticle publishes whenever the allow-list or the authorization rules change
 * (DESIGN "policy snapshots"). HTTP verticles and the accept-time filter keep the latest one in a field
 * and check it without a round trip.
 *
 * @param allowList   who may connect (SEC-4)
 * @param authorization client roles (SEC-6)
 * @param generation  increases with every change, so logs and tests can tell snapshots apart
 */
public record AccessPolicy(IpAllowList allowList, AuthorizationConfig authorization, long generation) {



  public AccessPolicy {
    if (allowList == null) {
      allowList = IpAllowList.denyAll();
    }
  }

  /** The policy at start-up before any file was read: nobody may connect. */
  public static AccessPolicy denyAll() {
    return new AccessPolicy(IpAllowList.denyAll(), new AuthorizationConfig(false, List.of()), 0);
  }

  public boolean allows(InetAddress address) {
    return allowList.allows(address);
  }

  /**
   * The role of a client by certificate CN: admin for everyone when the authorization section is absent,
   * else the first rule whose glob matches, else null (no permission at all).
   */
  public Role roleOf(String commonName) {
    if (!authorization.configured()) {
      return Role.ADMIN;
    }
    if (commonName == null) {
      return null;
    }
    for (AuthorizationConfig.ClientRule rule : authorization.clients()) {
      if (globMatches(rule.cnGlob(), commonName)) {
        return rule.role();
      }
    }
    return null;
  }

  /** Glob match with {@code *} (any run) and {@code ?} (one character); everything else literal. */
  static boolean globMatches(String glob, String text) {
    int g = 0;
    int t = 0;
    int star = -1;
    int mark = 0;
    while (t < text.length()) {
      if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == text.charAt(t))) {
        g++;
        t++;
      } else if (g < glob.length() && glob.charAt(g) == '*') {
        star = g++;
        mark = t;
      } else if (star >= 0) {
        g = star + 1;
        t = ++mark;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') {
      g++;
    }
    return g == glob.length();
  }
}
