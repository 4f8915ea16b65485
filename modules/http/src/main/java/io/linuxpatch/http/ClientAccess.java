package io.linuxpatch.http;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.auth.AccessGrant;
import io.linuxpatch.contract.auth.AccessPolicy;
import io.linuxpatch.contract.auth.ClientIdentity;
import io.linuxpatch.contract.auth.Role;
import io.linuxpatch.internals.RequestUsers;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authorization.Authorization;
import io.vertx.ext.auth.authorization.PermissionBasedAuthorization;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Runs first on every request: checks the source address against the current policy again (SEC-4: an
 * allow-list change applies to the next request of a kept-alive connection), turns the client
 * certificate into a {@link ClientIdentity} (SEC-5) and a vertx-auth {@link User} whose authorizations
 * are the permissions of the client's role (SEC-6), for vertx-web's AuthorizationHandler to check. A host
 * certificate gets no role unless the configuration allows it (see {@code AccessPolicy.grantOf}).
 */
final class ClientAccess implements Handler<RoutingContext> {

  static final String IDENTITY_KEY = "lpa.identity";
  private static final String PEER_KEY = "lpa.peer";
  static final String PROVIDER_ID = "lpa-roles";

  private final Supplier<AccessPolicy> policy;
  /**
   * Identities of the certificates seen lately (a SHA-256, a DN parse and a serial in hex per certificate,
   * not per request); one HTTP verticle's, so only its event loop touches it. Keyed by the certificate's
   * content (X509Certificate.equals), so an identity is always that of the very certificate presented.
   */
  private final Map<X509Certificate, ClientIdentity> identities = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<X509Certificate, ClientIdentity> eldest) {
      return size() > KNOWN_CERTIFICATES;
    }
  };
  private static final int KNOWN_CERTIFICATES = 256;
  /**
   * Each open connection's peer, made on its first request; weak, so that a closed connection's entry goes with
   * it. One HTTP verticle's, touched on its event loop only, like the identities.
   */
  private final Map<HttpConnection, ConnectionPeer> peers = new WeakHashMap<>();

  ClientAccess(Supplier<AccessPolicy> policy) {
    this.policy = policy;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    AccessPolicy current = policy.get();
    ConnectionPeer peer = peerOf(connection);
    if (!peer.admitted(current)) {
      // Silent like the accept-time drop: no status line that would tell the service apart from a closed port.
      ctx.vertx().eventBus().send(Addresses.AUDIT_RECORD, new JsonObject()
          .put("event", "allowlist_drop")
          .put("stage", "request on an open connection")
          .put("peer_ip", peer.address == null ? null : peer.address.getHostAddress())
          .put("request_id", RequestIds.of(ctx)));
      connection.close();
      return;
    }
    ClientIdentity identity = peer.identity;
    if (identity == null) {
      // Client auth is REQUIRED at the TLS layer, so this cannot happen; refuse without a body if it does.
      connection.close();
      return;
    }
    AccessGrant grant = peer.grant(current);
    Role role = grant.role();
    User user = User.create(new JsonObject()
        .put("sub", identity.commonName())
        .put("serial", identity.serial())
        .put("sha256", identity.fingerprint())
        .put("role", role == null ? null : role.json()));
    user.authorizations().put(PROVIDER_ID, authorizationsOf(role));
    // Set, not authenticated through an AuthenticationHandler: see modules/internals, hook 8.
    RequestUsers.set(ctx, user);
    ctx.put(IDENTITY_KEY, identity);
    AccessRefusal.granted(ctx, grant);
    ctx.put(PEER_KEY, peer);
    ctx.next();
  }

  /**
   * The identity of the client certificate presented on {@code connection}, or null without one; from the
   * cache of certificates seen lately (call on this verticle's event loop only).
   */
  ClientIdentity identify(HttpConnection connection) {
    X509Certificate leaf = leafCertificate(connection);
    return leaf == null ? null : identities.computeIfAbsent(leaf, ClientIdentity::of);
  }

  /** The peer of {@code connection}, made once per connection (call on this verticle's event loop only). */
  ConnectionPeer peerOf(HttpConnection connection) {
    return peers.computeIfAbsent(connection, c -> new ConnectionPeer(addressOf(c), identify(c)));
  }

  static ClientIdentity identityOf(RoutingContext ctx) {
    return ctx.get(IDENTITY_KEY);
  }

  /** The peer this handler admitted for {@code ctx}, or null when it did not run or refused it. */
  static ConnectionPeer peerOf(RoutingContext ctx) {
    return ctx.get(PEER_KEY);
  }

  private static Set<Authorization> authorizationsOf(Role role) {
    return role == null ? Set.of() : AUTHORIZATIONS.get(role);
  }

  /** Each role's authorizations, built once (immutable sets: a request's User only reads them). */
  private static final Map<Role, Set<Authorization>> AUTHORIZATIONS = new EnumMap<>(Role.class);

  static {
    for (Role role : Role.values()) {
      AUTHORIZATIONS.put(role, role.permissions().stream().map(PermissionBasedAuthorization::create)
          .collect(Collectors.toUnmodifiableSet()));
    }
  }

  static InetAddress addressOf(HttpConnection connection) {
    if (connection.remoteAddress() == null || connection.remoteAddress().hostAddress() == null) {
      return null;
    }
    try {
      // hostAddress() is a numeric literal, so this never resolves a name.
      return InetAddress.getByName(connection.remoteAddress().hostAddress());
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static X509Certificate leafCertificate(HttpConnection connection) {
    try {
      List<Certificate> chain = connection.peerCertificates();
      if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
        return null;
      }
      return leaf;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }
}
