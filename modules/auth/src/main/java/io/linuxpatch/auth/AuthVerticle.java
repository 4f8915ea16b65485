package io.linuxpatch.auth;

import io.linuxpatch.auth.allowlist.AllowListFile;
import io.linuxpatch.auth.allowlist.HostResolver;
import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.LocalCodec;
import io.linuxpatch.contract.auth.AccessPolicy;
import io.linuxpatch.contract.auth.TlsMaterial;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.enrollment.RenewalStatus;
import io.linuxpatch.contract.health.HealthCheck;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.time.Duration;

/**
 * Owns who may connect and with which certificates (DESIGN "AuthVerticle"): the IP allow-list and the
 * authorization rules, published as {@link AccessPolicy} snapshots, and the validated TLS material, published
 * as {@link TlsMaterial}. A standard verticle deployed once; {@code config()} is the agent configuration
 * document (YAML as JSON).
 *
 * <p>Event bus: publishes {@code lpa.auth.policy}, {@code lpa.auth.tls} and the "certificates"/"crl"
 * {@code lpa.health.check}s; answers {@code lpa.auth.policy.current} and {@code lpa.auth.tls.current};
 * listens to {@code lpa.config.changed}, {@code lpa.health.resync} and {@code lpa.enrollment.status} (the renewal
 * state shown in the "certificates" check).
 */
public final class AuthVerticle extends AbstractVerticle {

  /** Host names in the allow-list are resolved again this often, so a DNS change applies without an edit. */
  static final Duration HOST_REFRESH = Duration.ofMinutes(1);
  /** After a change to a TLS file, the wait before its stamps are taken, and again until two agree (CFG-2). */
  static final Duration TLS_SETTLE = Duration.ofMillis(300);
  /** Certificates expire and CRLs go stale without any file changing. */
  static final Duration TLS_RECHECK = Duration.ofHours(1);

  private final HostResolver resolver;
  private AccessPolicyPublisher policies;
  private TlsMaterialPublisher tls;

  public AuthVerticle() {
    this(HostResolver.SYSTEM);
  }

  /** With another resolver, for tests that must not depend on DNS. */
  public AuthVerticle(HostResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public void start(Promise<Void> started) {
    EventBus bus = vertx.eventBus();
    LocalCodec.register(bus, AccessPolicy.class);
    LocalCodec.register(bus, TlsMaterial.class);
    LocalCodec.register(bus, HealthCheck.class);
    LocalCodec.register(bus, AgentConfig.class);

    AgentConfig config = AgentConfig.parse(config()).config();
    policies = new AccessPolicyPublisher(vertx, new AllowListFile(resolver), HOST_REFRESH);
    tls = new TlsMaterialPublisher(vertx, TLS_SETTLE, TLS_RECHECK);

    bus.localConsumer(Addresses.AUTH_POLICY_CURRENT, this::currentPolicy);
    bus.localConsumer(Addresses.AUTH_TLS_CURRENT, this::currentTls);
    bus.<AgentConfig>localConsumer(Addresses.CONFIG_CHANGED, m -> reconfigure(m.body()));
    bus.localConsumer(Addresses.HEALTH_RESYNC, m -> tls.publishHealth());
    LocalCodec.register(bus, RenewalStatus.class);
    bus.<RenewalStatus>localConsumer(Addresses.ENROLLMENT_STATUS, m -> tls.renewal(m.body()));

    // Both are read before the verticle counts as deployed, so that HTTP verticles deployed after it find a
    // policy and TLS material (or a reason why there is none) on their first request.
    Future.join(policies.start(config), tls.start(config)).<Void>mapEmpty().onComplete(started);
  }

  @Override
  public void stop(Promise<Void> stopped) {
    tls.stop();
    policies.stop().onComplete(stopped);
  }

  private void currentPolicy(Message<Object> request) {
    request.reply(policies.current());
  }

  private void currentTls(Message<Object> request) {
    TlsMaterial material = tls.current();
    if (material == null) {
      request.fail(503, "no valid TLS material: " + tls.unavailableReason());
    } else {
      request.reply(material);
    }
  }

  private void reconfigure(AgentConfig config) {
    policies.reconfigure(config);
    tls.reconfigure(config);
  }
}
