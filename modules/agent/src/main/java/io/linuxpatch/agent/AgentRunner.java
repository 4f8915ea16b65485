package io.linuxpatch.agent;

import io.linuxpatch.agent.config.ConfigFile;
import io.linuxpatch.contract.config.ConfigProblem;
import io.linuxpatch.enrollment.Enrollment;
import io.linuxpatch.enrollment.EnrollmentOutcome;
import io.linuxpatch.enrollment.ManagerUrl;
import io.linuxpatch.pki.CertificateChecks;
import io.linuxpatch.pki.CertificateReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the agent in the foreground from a configuration file: validates the file, locks the data directory and
 * audit log (OPS-5), checks the certificates (CFG-4) — enrolling first when they are unusable and a fleet manager is
 * configured (ENR) —, starts the agent and keeps the process alive until
 * SIGTERM/SIGINT, which stops it gracefully (OPS-2).
 */
public final class AgentRunner {

  private static final Logger LOG = LoggerFactory.getLogger(AgentRunner.class);

  private AgentRunner() {}

  /**
   * Returns the process exit code: 1 when the configuration or the certificates are invalid or the agent
   * cannot start, 2 when the certificates are invalid and the enrollment that should have brought them could not
   * finish yet (the next start resumes it); otherwise it returns only after a stop signal (0).
   *
   * @param onReady printed once the agent answers (developer mode's curl hint); may be null
   */
  public static int runUntilStopped(Path configFile, boolean verbose, Runnable onReady) {
    return runUntilStopped(configFile, verbose, onReady, null);
  }

  /**
   * The same with the locks already held ({@code dev} takes them before it writes its files), or null to take
   * them here. A second agent on the same data directory or audit log gets one line on stderr and exit code 1.
   */
  public static int runUntilStopped(Path configFile, boolean verbose, Runnable onReady, AgentLock held) {
    ConfigFile file = ConfigFile.read(configFile);
    if (!file.valid()) {
      PrintStream err = System.err;
      err.println("linux-patch-api: configuration " + configFile + " is invalid:");
      for (ConfigProblem problem : file.problems()) {
        err.println("  " + problem);
      }
      if (held != null) {
        held.close();
      }
      return 1;
    }
    AgentLock lock = held;
    if (lock == null) {
      try {
        // Before anything of the data directory or the audit log is read or written (OPS-5).
        lock = AgentLock.acquire(file.config());
      } catch (AgentLock.Held running) {
        System.err.println(running.getMessage());
        return 1;
      } catch (IOException e) {
        System.err.println("linux-patch-api: cannot lock the data directory or audit log: " + e);
        return 1;
      }
    }
    if (!verbose) {
      LogLevels.apply(file.config().logging().level());
    }
    CertificateReport certificates = CertificateChecks.check(file.config().tls(), Instant.now(),
        file.config().enrollment().certRenewalThresholdDays());
    certificates.warnings().forEach(w -> LOG.warn("{}", w.line()));
    if (!certificates.ok()) {
      System.err.println("linux-patch-api: the TLS certificates are not usable:");
      certificates.errors().forEach(e -> System.err.println("  " + e.line()));
      if (!file.config().enrollment().configured()) {
        lock.close();
        return 1;
      }
      int enrolled = enrollFirst(file);
      if (enrolled != 0) {
        lock.close();
        return enrolled;
      }
      certificates = CertificateChecks.check(file.config().tls(), Instant.now(),
          file.config().enrollment().certRenewalThresholdDays());
      if (!certificates.ok()) {
        System.err.println("linux-patch-api: the enrolled certificates are not usable:");
        certificates.errors().forEach(e -> System.err.println("  " + e.line()));
        lock.close();
        return 1;
      }
    }
    Agent agent;
    try {
      agent = Agent.start(configFile, file.document(), file.config(), lock).await();
    } catch (Exception e) {
      LOG.error("the agent could not start: {}", e.getMessage(), e);
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stop signal received, stopping the agent");
      SystemdNotify.send("STOPPING=1");
      agent.stop();
      stopped.countDown();
    }, "lpa-shutdown"));
    // Type=notify (OPS-1): the unit is active only now that the API answers.
    SystemdNotify.send("READY=1\nSTATUS=listening on port " + agent.port());
    if (onReady != null) {
      onReady.run();
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * CFG-3 and ENR: an agent without usable certificates and with {@code enrollment.manager_url} enrolls before it
   * starts (resuming a stored polling token), in the foreground, so that nothing half-started listens meanwhile.
   * 0 when certificates were installed; 1 when the manager denied or refused (a person must act); 2 when the
   * enrollment could not finish (manager unreachable, no decision yet): certificates invalid, enrollment will be
   * retried — the service manager's restart resumes the same token.
   */
  private static int enrollFirst(ConfigFile file) {
    ManagerUrl manager = ManagerUrl.parse(file.config().enrollment().managerUrl());
    System.err.println("linux-patch-api: enrolling with " + manager + " (enrollment.manager_url) before starting");
    EnrollmentOutcome outcome = StandaloneEnrollment.run(file, manager, Enrollment.Kind.ENROLL);
    if (outcome instanceof EnrollmentOutcome.Installed installed) {
      System.err.println("linux-patch-api: enrolled: certificate " + installed.serial() + " valid until "
          + installed.notAfter() + "; " + installed.allowList());
      return 0;
    }
    if (outcome instanceof EnrollmentOutcome.Denied denied) {
      System.err.println("linux-patch-api: enrollment denied: " + denied.reason() + "; the agent cannot start");
      return 1;
    }
    EnrollmentOutcome.Failed failed = (EnrollmentOutcome.Failed) outcome;
    if (!failed.retryable()) {
      System.err.println("linux-patch-api: enrollment failed: " + failed.reason() + "; the agent cannot start");
      return 1;
    }
    System.err.println("linux-patch-api: enrollment not finished: " + failed.reason() + "; exit 2: certificates "
        + "invalid, enrollment will be retried at the next start");
    return 2;
  }
}
