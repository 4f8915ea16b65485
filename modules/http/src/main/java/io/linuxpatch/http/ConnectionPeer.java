package io.linuxpatch.http;

import io.linuxpatch.contract.auth.AccessGrant;
import io.linuxpatch.contract.auth.AccessPolicy;
import io.linuxpatch.contract.auth.ClientIdentity;
import java.net.InetAddress;

/**
 * What a TLS connection's peer is — its address and its certificate's identity, fixed for the connection's
 * life (TLS 1.3 has no renegotiation) — and the verdicts of the latest access policy on it: whether the
 * allow-list admits the address and what the authorization rules grant the certificate. The verdicts are
 * recomputed when the policy's generation changes, so an allow-list or authorization change still applies
 * to the next request of a kept-alive connection (SEC-4, SEC-6), while an unchanged policy costs a
 * comparison per request instead of an address parse, a certificate lookup and a rule match (issue 7).
 *
 * <p>Kept per connection by {@link ClientAccess#peerOf} (a weak map: it lives and dies with the connection); used
 * on the connection's event loop only.
 */
final class ConnectionPeer {

  private static final String READ = "read";

  final InetAddress address;
  final ClientIdentity identity;
  private long generation = Long.MIN_VALUE;
  private boolean admitted;
  private AccessGrant grant;

  ConnectionPeer(InetAddress address, ClientIdentity identity) {
    this.address = address;
    this.identity = identity;
  }

  /** Whether {@code policy}'s allow-list admits this peer's address. */
  boolean admitted(AccessPolicy policy) {
    judge(policy);
    return admitted;
  }

  /**
   * Whether {@code policy} lets this peer read (the health probe, the job events socket): its address
   * admitted and a certificate whose role grants {@code read}.
   */
  boolean mayRead(AccessPolicy policy) {
    judge(policy);
    return admitted && grant.permits(READ);
  }

  /** What {@code policy} grants this peer's certificate (a null role: every call is forbidden), and why. */
  AccessGrant grant(AccessPolicy policy) {
    judge(policy);
    return grant;
  }

  private void judge(AccessPolicy policy) {
    if (policy.generation() != generation) {
      admitted = address != null && policy.allows(address);
      grant = policy.grantOf(identity);
      generation = policy.generation();
    }
  }
}
