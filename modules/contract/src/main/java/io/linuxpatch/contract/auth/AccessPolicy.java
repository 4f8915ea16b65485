package io.linuxpatch.contract.auth;

import io.linuxpatch.contract.config.AuthorizationConfig;
import java.net.InetAddress;

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
    return new AccessPolicy(IpAllowList.denyAll(), AuthorizationConfig.absent(), 0);
  }

  public boolean allows(InetAddress address) {
    return allowList.allows(address);
  }

  /**
   * What {@code client} may do on the API (SEC-6), in this order: a host certificate gets nothing unless
   * {@code allow_host_certificates}; without an authorization section everyone else may read; otherwise a rule
   * naming the very certificate (fingerprint, serial) wins over CN globs, and among each kind the first in
   * file order decides; no matching rule, no permission.
   */
  public AccessGrant grantOf(ClientIdentity client) {
    if (client == null) {
      return AccessGrant.NO_RULE;
    }
    if (client.hostCertificate() && !authorization.allowHostCertificates()) {
      return AccessGrant.HOST_CERTIFICATE;
    }
    if (!authorization.configured()) {
      return AccessGrant.DEFAULT_READ;
    }
    for (AuthorizationConfig.ClientRule rule : authorization.clients()) {
      if (rule.selector().exact() && rule.selector().matches(client)) {
        return new AccessGrant(rule.role(), AccessGrant.Ground.CERTIFICATE_RULE);
      }
    }
    for (AuthorizationConfig.ClientRule rule : authorization.clients()) {
      if (!rule.selector().exact() && rule.selector().matches(client)) {
        return new AccessGrant(rule.role(), AccessGrant.Ground.NAME_RULE);
      }
    }
    return AccessGrant.NO_RULE;
  }
}
