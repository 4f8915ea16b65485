package io.linuxpatch.enrollment;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.LocalCodec;
import io.linuxpatch.contract.auth.TlsMaterial;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.enrollment.RenewalStatus;
import io.linuxpatch.contract.enrollment.RenewalStatus.State;
import io.linuxpatch.filewatch.FileWatch;
import io.linuxpatch.pki.PemFiles;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import io.vertx.micrometer.backends.BackendRegistries;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the agent's certificate before it expires (ENR, CFG-4): at start, every hour and whenever the served
 * material or the configuration changes, it compares the expiry of the certificate AuthVerticle serves with
 * {@code enrollment.cert_renewal_threshold_days}; inside the threshold, with {@code enrollment.manager_url} set, it
 * runs an {@link Enrollment} of kind renewal in the background, presenting the current certificate as a TLS client
 * certificate. The new files are picked up by AuthVerticle's reload and served to new connections; connections
 * already open keep theirs, so no request fails. It also takes {@code --renew-certs} requests of a command run
 * beside the agent ({@link RenewRequests}).
 *
 * <p>Event bus: receives {@code lpa.auth.tls} (and asks {@code lpa.auth.tls.current} at start),
 * {@code lpa.config.changed}, {@code lpa.health.resync}; publishes {@code lpa.enrollment.status}
 * ({@link RenewalStatus}); sends its steps to {@code lpa.audit.record}. Metric: {@code lpa_certificate_expiry_seconds}.
 * A standard verticle deployed once: all its state lives on its event loop.
 */
public final class EnrollmentVerticle extends AbstractVerticle {

  static final Duration CHECK_PERIOD = Duration.ofHours(1);
  private static final Logger LOG = LoggerFactory.getLogger(EnrollmentVerticle.class);

  private final RetryPolicy retry;
  private AgentConfig config;
  private X509Certificate served;
  private TlsMaterial material;
  /** The expiry of what the last renewal installed, until AuthVerticle serves it (no second renewal meanwhile). */
  private Instant installedNotAfter;
  private Enrollment running;
  private RenewalStatus status = new RenewalStatus(State.OK, Instant.now(), null, null, null);
  private final List<String> waiting = new ArrayList<>();
  private final AtomicReference<Instant> expiry = new AtomicReference<>();
  private RenewRequests requests;
  private FileWatch files;
  private boolean takingRequest;
  private Instant nextCheck;

  public EnrollmentVerticle() {
    this(RetryPolicy.DEFAULT);
  }

  /** With another retry policy (tests that measure back-off in seconds, not minutes). */
  public EnrollmentVerticle(RetryPolicy retry) {
    this.retry = retry;
  }

  @Override
  public void start(Promise<Void> started) {
    EventBus bus = vertx.eventBus();
    LocalCodec.register(bus, RenewalStatus.class);
    LocalCodec.register(bus, TlsMaterial.class);
    LocalCodec.register(bus, AgentConfig.class);
    config = AgentConfig.parse(config()).config();
    requests = new RenewRequests(Path.of(config.dataDir()));
    bus.<TlsMaterial>localConsumer(Addresses.AUTH_TLS, m -> served(m.body()));
    bus.<AgentConfig>localConsumer(Addresses.CONFIG_CHANGED, m -> reconfigured(m.body()));
    bus.localConsumer(Addresses.HEALTH_RESYNC, m -> publish());
    registerGauge();
    vertx.setPeriodic(CHECK_PERIOD.toMillis(), id -> check("hourly check"));
    // The command's request is taken when its file appears (no poll while none does), and one written while the
    // agent was not running at start.
    files = FileWatch.acquire(vertx);
    files.watch(List.of(requests.requestFile()), this::takeRequest);
    takeRequest();
    bus.<TlsMaterial>request(Addresses.AUTH_TLS_CURRENT, null)
        .onSuccess(m -> served(m.body()))
        .onFailure(none -> LOG.debug("no TLS material yet: {}", none.getMessage()))
        .onComplete(done -> {
          publish();
          started.complete();
        });
  }

  @Override
  public void stop() {
    if (running != null) {
      running.cancel();
    }
    if (files != null) {
      files.release();
    }
  }

  private void served(TlsMaterial newer) {
    if (material != null && newer.generation() <= material.generation()) {
      return;
    }
    vertx.executeBlocking(() -> PemFiles.parseCertificates(newer.serverCertPem().getBytes()).get(0), false)
        .onSuccess(leaf -> {
          material = newer;
          served = leaf;
          expiry.set(leaf.getNotAfter().toInstant());
          if (installedNotAfter != null && !leaf.getNotAfter().toInstant().isBefore(installedNotAfter)) {
            installedNotAfter = null;
          }
          check("certificates loaded");
        })
        .onFailure(e -> LOG.warn("the served certificate cannot be read for its expiry: {}", e.getMessage()));
  }

  private void reconfigured(AgentConfig newer) {
    boolean changed = !newer.enrollment().equals(config.enrollment());
    config = newer;
    if (changed) {
      check("enrollment configuration changed");
    }
  }

  /** Starts a renewal when the served certificate is inside the threshold; otherwise only updates the state. */
  private void check(String why) {
    nextCheck = Instant.now().plus(CHECK_PERIOD);
    if (running != null || served == null) {
      publish();
      return;
    }
    Instant notAfter = installedNotAfter != null ? installedNotAfter : served.getNotAfter().toInstant();
    Instant renewFrom = notAfter.minus(Duration.ofDays(config.enrollment().certRenewalThresholdDays()));
    if (Instant.now().isBefore(renewFrom)) {
      if (status.state() != State.OK) {
        setStatus(State.OK, null);
      } else {
        publish();
      }
      return;
    }
    if (status.lastRenewed() != null && Instant.now().isBefore(status.lastRenewed().plus(CHECK_PERIOD))) {
      // A manager whose certificates are shorter-lived than the threshold would otherwise be asked again at once.
      publish();
      return;
    }
    if (!config.enrollment().configured()) {
      if (status.state() != State.NOT_CONFIGURED) {
        LOG.warn("the server certificate expires on {}, within cert_renewal_threshold_days {}, and "
            + "enrollment.manager_url is not set: renew it by hand", notAfter,
            config.enrollment().certRenewalThresholdDays());
        setStatus(State.NOT_CONFIGURED, null);
      } else {
        publish();
      }
      return;
    }
    renew("the certificate expires on " + notAfter + " (" + why + ")");
  }

  private void renew(String why) {
    ManagerUrl manager;
    try {
      manager = ManagerUrl.parse(config.enrollment().managerUrl());
    } catch (IllegalArgumentException e) {
      finished(new EnrollmentOutcome.Failed(e.getMessage(), false));
      return;
    }
    boolean valid = served != null && Instant.now().isBefore(served.getNotAfter().toInstant())
        && !Instant.now().isBefore(served.getNotBefore().toInstant());
    ClientCertificate presented = valid ? new ClientCertificate(material.serverCertPem(), material.serverKeyPem())
        : null;
    String serial = valid ? served.getSerialNumber().toString(16) : null;
    LOG.info("renewing the server certificate with {}: {}", manager, why);
    running = new Enrollment(vertx, config, manager, Enrollment.Kind.RENEW, presented, serial, retry);
    setStatus(State.RENEWING, null);
    running.run().onComplete(done -> finished(done.succeeded() ? done.result()
        : new EnrollmentOutcome.Failed(String.valueOf(done.cause().getMessage()), true)));
  }

  private void finished(EnrollmentOutcome outcome) {
    running = null;
    String message;
    boolean renewed = outcome instanceof EnrollmentOutcome.Installed;
    if (outcome instanceof EnrollmentOutcome.Installed installed) {
      installedNotAfter = installed.notAfter();
      status = new RenewalStatus(State.OK, Instant.now(), null, Instant.now(), nextCheck);
      message = "renewed: certificate " + installed.serial() + " valid until " + installed.notAfter() + "; "
          + installed.allowList();
      publish();
    } else {
      message = outcome instanceof EnrollmentOutcome.Denied denied ? denied.reason()
          : ((EnrollmentOutcome.Failed) outcome).reason();
      setStatus(State.FAILING, message);
    }
    for (String id : List.copyOf(waiting)) {
      answer(new RenewRequests.Answer(id, renewed, message));
    }
    waiting.clear();
  }

  private void setStatus(State state, String error) {
    Instant since = state == status.state() ? status.since() : Instant.now();
    status = new RenewalStatus(state, since, error, status.lastRenewed(), nextCheck);
    publish();
  }

  private void publish() {
    status = new RenewalStatus(status.state(), status.since(), status.error(), status.lastRenewed(), nextCheck);
    vertx.eventBus().publish(Addresses.ENROLLMENT_STATUS, status);
  }

  /** {@code --renew-certs} beside a running agent: renew now, whatever the threshold says. */
  private Future<?> takeRequest() {
    if (takingRequest) {
      return Future.succeededFuture();
    }
    takingRequest = true;
    return vertx.executeBlocking(requests::take, false).onComplete(taken -> {
      takingRequest = false;
      if (taken.failed() || taken.result().isEmpty()) {
        return;
      }
      String id = taken.result().get();
      if (!config.enrollment().configured()) {
        answer(new RenewRequests.Answer(id, false, "enrollment.manager_url is not set in this agent's "
            + "configuration"));
        return;
      }
      if (served == null) {
        answer(new RenewRequests.Answer(id, false, "the agent serves no certificate yet"));
        return;
      }
      waiting.add(id);
      LOG.info("--renew-certs asked this agent to renew now");
      if (running == null) {
        renew("requested with --renew-certs");
      }
    });
  }

  private void answer(RenewRequests.Answer answer) {
    vertx.executeBlocking(() -> {
      requests.answer(answer);
      return null;
    }, false).onFailure(e -> LOG.warn("cannot answer the --renew-certs request: {}", e.getMessage()));
  }

  /** MET-1: seconds until the served certificate expires (negative once expired), for alerting. */
  private void registerGauge() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry == null) {
      return;
    }
    Gauge.builder("lpa_certificate_expiry_seconds", expiry, e -> e.get() == null ? Double.NaN
            : Duration.between(Instant.now(), e.get()).toMillis() / 1000.0)
        .description("Seconds until the server certificate the agent serves expires; it renews within "
            + "enrollment.cert_renewal_threshold_days when enrollment.manager_url is set")
        .strongReference(true)
        .register(registry);
  }
}
