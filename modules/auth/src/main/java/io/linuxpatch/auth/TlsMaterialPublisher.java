package io.linuxpatch.auth;

import io.linuxpatch.auth.tls.CertificateHealth;
import io.linuxpatch.auth.tls.TlsFileStamps;
import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.auth.TlsMaterial;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.config.TlsConfig;
import io.linuxpatch.contract.enrollment.RenewalStatus;
import io.linuxpatch.contract.health.HealthCheck;
import io.linuxpatch.pki.CertificateChecks;
import io.linuxpatch.pki.CertificateFinding;
import io.linuxpatch.pki.CertificateReport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.linuxpatch.filewatch.FileWatch;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the validated TLS material of AuthVerticle (SEC-2, CFG-2, CFG-4): checks the tls files at start,
 * whenever one of them changes on disk and once an hour (certificates expire and CRLs go stale without a
 * file changing), publishes {@link TlsMaterial} on {@code lpa.auth.tls} when the check passes and keeps
 * the previous material when it does not. Publishes the "certificates" and "crl" health checks.
 *
 * <p>Runs on AuthVerticle's event loop; stat calls and the checks (file reads, signature checks) run on
 * workers.
 */
final class TlsMaterialPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(TlsMaterialPublisher.class);

  /** One run of the checks and the file stamps taken just before it. */
  private record Checked(TlsConfig tls, CertificateReport report, TlsFileStamps stamps, Instant at) {}

  private final Vertx vertx;
  /** How long after a change the files are looked at (and again, until two looks agree). */
  private final Duration settle;
  private final Duration recheckPeriod;

  private TlsConfig tls;
  private int renewalThresholdDays;
  private TlsMaterial material;
  private long generation;
  private Checked last;
  /** The stamps of the previous poll: a change is reloaded once two polls agree (both files of a pair written). */
  private TlsFileStamps previousPoll;
  private boolean busy;
  /** Where renewal stands, as the enrollment verticle last said (null until it does). */
  private RenewalStatus renewal;
  private FileWatch files;
  private FileWatch.Registration registration;
  private long settleTimer = -1;
  private long recheckTimer = -1;

  TlsMaterialPublisher(Vertx vertx, Duration settle, Duration recheckPeriod) {
    this.vertx = vertx;
    this.settle = settle;
    this.recheckPeriod = recheckPeriod;
  }

  /** Runs the start-up checks (CFG-4), publishes the material when they pass, and starts watching the files. */
  Future<Void> start(AgentConfig config) {
    tls = config.tls();
    renewalThresholdDays = config.enrollment().certRenewalThresholdDays();
    files = FileWatch.acquire(vertx);
    watchFiles();
    recheckTimer = vertx.setPeriodic(recheckPeriod.toMillis(), id -> recheck("periodic re-check"));
    return check("start-up");
  }

  /** The material in use, or null when the files were never valid. */
  TlsMaterial current() {
    return material;
  }

  /** Why there is no material, for a failed AUTH_TLS_CURRENT request. */
  String unavailableReason() {
    if (last == null) {
      return "the certificate files have not been checked yet";
    }
    return last.report().errors().stream().map(CertificateFinding::text).findFirst()
        .orElse("no valid TLS material");
  }

  /** New tls paths or a new renewal threshold: check again now. */
  Future<Void> reconfigure(AgentConfig config) {
    boolean pathsChanged = !Objects.equals(tls, config.tls());
    boolean thresholdChanged = renewalThresholdDays != config.enrollment().certRenewalThresholdDays();
    tls = config.tls();
    renewalThresholdDays = config.enrollment().certRenewalThresholdDays();
    if (!pathsChanged && !thresholdChanged) {
      return Future.succeededFuture();
    }
    previousPoll = null;
    if (pathsChanged) {
      watchFiles();
    }
    return check(pathsChanged ? "tls configuration changed" : "cert_renewal_threshold_days changed");
  }

  void stop() {
    vertx.cancelTimer(settleTimer);
    vertx.cancelTimer(recheckTimer);
    if (files != null) {
      files.release();
    }
  }

  /** Watches the files {@link #tls} names: a change makes {@link #poll} look at them a moment later. */
  private void watchFiles() {
    if (registration != null) {
      registration.cancel();
    }
    List<Path> paths = Stream.of(tls.caCert(), tls.serverCert(), tls.serverKey(), tls.crlPath())
        .filter(p -> p != null && !p.isBlank()).map(Path::of).toList();
    registration = files.watch(paths, () -> {
      pollSoon();
      return Future.succeededFuture();
    });
  }

  private void pollSoon() {
    if (settleTimer < 0) {
      settleTimer = vertx.setTimer(settle.toMillis(), id -> {
        settleTimer = -1;
        poll();
      });
    }
  }

  /** The enrollment verticle's latest renewal state: shown in the certificates check. */
  void renewal(RenewalStatus status) {
    renewal = status;
    publishHealth();
  }

  /** Publishes both health checks as of the latest check (also on HEALTH_RESYNC). */
  void publishHealth() {
    if (last == null) {
      return;
    }
    HealthCheck certificates = CertificateHealth.certificates(last.report(),
        material == null ? 0 : material.generation(), renewal);
    HealthCheck crl = CertificateHealth.crl(last.tls(), last.report(), Instant.now());
    vertx.eventBus().publish(Addresses.HEALTH_CHECK, certificates);
    vertx.eventBus().publish(Addresses.HEALTH_CHECK, crl);
  }

  private void poll() {
    if (busy || last == null) {
      // A check is running (or the first has not ended): look again after it, the change may be newer.
      pollSoon();
      return;
    }
    busy = true;
    TlsConfig polled = tls;
    vertx.executeBlocking(() -> TlsFileStamps.of(polled), false).onComplete(ar -> {
      busy = false;
      if (ar.failed() || !polled.equals(tls)) {
        return;
      }
      TlsFileStamps now = ar.result();
      // A rotation writes key and certificate one after the other: reload once a look sees the same stamps as
      // the one before, so that a half-done rotation is not reported as a broken pair.
      if (!now.equals(last.stamps())) {
        if (now.equals(previousPoll)) {
          check("certificate files changed");
        } else {
          pollSoon();
        }
      }
      previousPoll = now;
    });
  }

  private void recheck(String why) {
    if (!busy) {
      check(why);
    }
  }

  private Future<Void> check(String why) {
    busy = true;
    TlsConfig checked = tls;
    int threshold = renewalThresholdDays;
    return vertx.executeBlocking(() -> {
      // Stamps first: a change during the check makes the next poll differ and check again.
      TlsFileStamps stamps = TlsFileStamps.of(checked);
      Instant now = Instant.now();
      return new Checked(checked, CertificateChecks.check(checked, now, threshold), stamps, now);
    }, false).onComplete(ar -> busy = false).map(result -> {
      if (result.tls().equals(tls)) {
        apply(result, why);
      }
      return null;
    });
  }

  private void apply(Checked result, String why) {
    Checked previous = last;
    last = result;
    CertificateReport report = result.report();
    if (report.ok()) {
      boolean unchanged = material != null && previous != null && previous.report().ok()
          && previous.stamps().equals(result.stamps());
      if (!unchanged) {
        material = new TlsMaterial(Buffer.buffer(report.caPem()), Buffer.buffer(report.serverCertPem()),
            Buffer.buffer(report.serverKeyPem()), report.crlPem() == null ? null : Buffer.buffer(report.crlPem()),
            result.tls().protocols(), ++generation);
        LOG.info("TLS material generation {} loaded ({}): server certificate {} valid for {} more days, CA for {}, "
            + "CRL {}; applies to new connections", generation, why, result.tls().serverCert(),
            report.serverDaysLeft(), report.caDaysLeft(), report.crl() == null ? "none" : result.tls().crlPath());
        vertx.eventBus().publish(Addresses.AUTH_TLS, material);
        // AUD-1: the generation now served, recorded by the component that checked it.
        vertx.eventBus().send(Addresses.AUDIT_RECORD, new JsonObject().put("event", "certificates_reload")
            .put("generation", generation));
      }
      report.warnings().forEach(w -> LOG.warn("certificate check ({}): {}", why, w.text()));
    } else if (material == null) {
      LOG.error("certificate check ({}) failed, HTTPS cannot serve until the files are fixed:", why);
      report.findings().forEach(f -> LOG.error("  {}", f.line()));
    } else {
      LOG.warn("certificate check ({}) rejects the files on disk; still serving TLS material generation {}:",
          why, material.generation());
      report.findings().forEach(f -> LOG.warn("  {}", f.line()));
    }
    publishHealth();
  }
}
