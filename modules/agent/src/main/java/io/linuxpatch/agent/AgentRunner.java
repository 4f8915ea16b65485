package io.linuxpatch.agent;

import io.linuxpatch.agent.config.ConfigFile;
import io.linuxpatch.contract.config.ConfigProblem;
import io.linuxpatch.pki.CertificateChecks;
import io.linuxpatch.pki.CertificateReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the agent in the foreground from a configuration file: validates the file, locks the data directory and
 * audit log (OPS-5), checks the certificates (CFG-4), starts the agent and keeps the process alive until
 * SIGTERM/SIGINT, which stops it gracefully (OPS-2).
 */
public final class AgentRunner {

  private static final Logger LOG = LoggerFactory.getLogger(AgentRunner.class);

  private AgentRunner() {}

  /**
   * Returns the process exit code: 1 when the configuration or the certificates are invalid or the agent
   * cannot start; otherwise it returns only after a stop signal (0).
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
      } catch (java.io.IOException e) {
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
      lock.close();
      return 1;
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
}
