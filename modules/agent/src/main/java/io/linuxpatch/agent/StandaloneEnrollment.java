package io.linuxpatch.agent;

import io.linuxpatch.agent.config.ConfigFile;
import io.linuxpatch.audit.AuditVerticle;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.enrollment.ClientCertificate;
import io.linuxpatch.enrollment.Enrollment;
import io.linuxpatch.enrollment.EnrollmentOutcome;
import io.linuxpatch.enrollment.ManagerUrl;
import io.linuxpatch.enrollment.RetryPolicy;
import io.linuxpatch.pki.CertificateChecks;
import io.linuxpatch.pki.CertificateReport;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One enrollment outside a running agent (ENR): {@code --enroll URL}, {@code --renew-certs} when no agent runs,
 * and the enrollment of an agent that starts without usable certificates. The caller holds the data directory's
 * lock (OPS-5); this class brings up what an enrollment needs of the agent — a small Vert.x and the audit log, so
 * that every step is recorded — runs it and takes it down again.
 */
final class StandaloneEnrollment {

  private static final Logger LOG = LoggerFactory.getLogger(StandaloneEnrollment.class);

  private StandaloneEnrollment() {}

  /** Runs one enrollment of {@code kind} with {@code manager}; blocks until it ends. */
  static EnrollmentOutcome run(ConfigFile file, ManagerUrl manager, Enrollment.Kind kind) {
    TlsDefaults.apply();
    AgentConfig config = file.config();
    ClientCertificate presented = null;
    String serial = null;
    if (kind == Enrollment.Kind.RENEW) {
      // The current certificate is shown to the manager only when it passes the checks an agent would run.
      CertificateReport current = CertificateChecks.check(config.tls(), Instant.now(),
          config.enrollment().certRenewalThresholdDays());
      if (current.ok()) {
        presented = new ClientCertificate(Buffer.buffer(current.serverCertPem()), Buffer.buffer(current.serverKeyPem()));
        serial = current.serverChain().get(0).getSerialNumber().toString(16);
      } else {
        LOG.warn("the current certificates are not usable ({}); renewing without presenting them, so the manager "
            + "decides as for a new host", current.errors().get(0).text());
      }
    }
    Vertx vertx = Vertx.vertx();
    try {
      vertx.deployVerticle(new AuditVerticle(), new DeploymentOptions().setConfig(file.document())
          .setThreadingModel(ThreadingModel.WORKER)).await(30, TimeUnit.SECONDS);
      Enrollment enrollment = new Enrollment(vertx, config, manager, kind, presented, serial, RetryPolicy.DEFAULT);
      Promise<EnrollmentOutcome> outcome = Promise.promise();
      vertx.getOrCreateContext().runOnContext(v -> enrollment.run().onComplete(outcome));
      return outcome.future().await();
    } catch (Exception e) {
      return new EnrollmentOutcome.Failed("the " + kind.noun() + " could not run: " + e.getMessage(), true);
    } finally {
      try {
        // Undeploying the audit log seals and closes it before the lock is released.
        vertx.close().await(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("closing the enrollment's Vert.x took too long: {}", e.toString());
      }
    }
  }
}
