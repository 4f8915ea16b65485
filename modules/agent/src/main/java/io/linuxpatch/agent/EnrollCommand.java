package io.linuxpatch.agent;

import io.linuxpatch.agent.config.ConfigFile;
import io.linuxpatch.contract.config.ConfigProblem;
import io.linuxpatch.enrollment.Enrollment;
import io.linuxpatch.enrollment.EnrollmentOutcome;
import io.linuxpatch.enrollment.ManagerUrl;
import io.linuxpatch.enrollment.RenewRequests;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code --enroll URL} and {@code --renew-certs} (CFG-3, ENR): exit 0 when certificates were installed, 1 with one
 * line saying why otherwise.
 *
 * <p>With an agent running on the same data directory (OPS-5): {@code --enroll} refuses and changes nothing — it
 * would replace the certificates under a running agent, possibly with another manager's — while
 * {@code --renew-certs} asks that agent to renew now ({@link RenewRequests}) and reports its answer, so an
 * operator renews without stopping the service.
 */
final class EnrollCommand {

  /** How long a running agent has to take a --renew-certs request (it looks every second). */
  static final Duration TAKE_TIMEOUT = Duration.ofSeconds(15);

  private final PrintStream out;
  private final PrintStream err;

  EnrollCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  int enroll(Path configFile, String url, boolean verbose) {
    ConfigFile file = readValid(configFile);
    if (file == null) {
      return 1;
    }
    ManagerUrl manager;
    try {
      manager = ManagerUrl.parse(url);
    } catch (IllegalArgumentException e) {
      err.println("linux-patch-api: --enroll: " + e.getMessage() + "; nothing was changed");
      return 1;
    }
    AgentLock lock;
    try {
      lock = AgentLock.acquire(file.config());
    } catch (AgentLock.Held running) {
      err.println("linux-patch-api: an agent (pid " + running.holderPid() + ") is running on this data directory; "
          + "--enroll replaces the certificates it serves and runs only while no agent does: stop it first, or "
          + "run --renew-certs to have it renew with enrollment.manager_url; nothing was changed");
      return 1;
    } catch (IOException e) {
      err.println("linux-patch-api: cannot lock the data directory or audit log: " + e.getMessage());
      return 1;
    }
    try {
      applyLevel(file, verbose);
      int exit = report(StandaloneEnrollment.run(file, manager, Enrollment.Kind.ENROLL), "enrolled with " + manager,
          "enrollment");
      if (exit == 0 && !url.equals(file.config().enrollment().managerUrl())) {
        out.println("linux-patch-api: set enrollment.manager_url: " + manager + " in " + configFile + " so that the "
            + "agent renews this certificate before it expires");
      }
      return exit;
    } finally {
      lock.close();
    }
  }

  int renew(Path configFile, boolean verbose) {
    ConfigFile file = readValid(configFile);
    if (file == null) {
      return 1;
    }
    if (!file.config().enrollment().configured()) {
      err.println("linux-patch-api: --renew-certs needs enrollment.manager_url in " + configFile
          + " (or enroll with --enroll URL); nothing was changed");
      return 1;
    }
    ManagerUrl manager = ManagerUrl.parse(file.config().enrollment().managerUrl());
    AgentLock lock;
    try {
      lock = AgentLock.acquire(file.config());
    } catch (AgentLock.Held running) {
      return handOver(file, running.holderPid());
    } catch (IOException e) {
      err.println("linux-patch-api: cannot lock the data directory or audit log: " + e.getMessage());
      return 1;
    }
    try {
      applyLevel(file, verbose);
      return report(StandaloneEnrollment.run(file, manager, Enrollment.Kind.RENEW), "renewed with " + manager,
          "renewal");
    } finally {
      lock.close();
    }
  }

  /** The agent that holds the data directory renews; this command waits for its answer. */
  private int handOver(ConfigFile file, long pid) {
    RenewRequests requests = new RenewRequests(Path.of(file.config().dataDir()));
    String id = UUID.randomUUID().toString();
    try {
      requests.request(id);
    } catch (IOException e) {
      err.println("linux-patch-api: an agent (pid " + pid + ") is running; asking it to renew failed: "
          + e.getMessage());
      return 1;
    }
    err.println("linux-patch-api: an agent (pid " + pid + ") is running on this data directory: asked it to renew "
        + "now; waiting for its answer (its progress is in the certificates check of /health and in the audit log)");
    Instant takeBy = Instant.now().plus(TAKE_TIMEOUT);
    try {
      while (!requests.taken()) {
        if (Instant.now().isAfter(takeBy) || !alive(pid)) {
          requests.withdraw();
          err.println("linux-patch-api: the running agent (pid " + pid + ") did not take the renewal request within "
              + TAKE_TIMEOUT.toSeconds() + " s; nothing was changed");
          return 1;
        }
        Thread.sleep(200);
      }
      while (true) {
        Optional<RenewRequests.Answer> answer = requests.answer(id);
        if (answer.isPresent()) {
          if (answer.get().renewed()) {
            out.println("linux-patch-api: the running agent " + answer.get().message());
            return 0;
          }
          err.println("linux-patch-api: the running agent's renewal failed: " + answer.get().message());
          return 1;
        }
        if (!alive(pid)) {
          err.println("linux-patch-api: the agent (pid " + pid + ") stopped before it answered; run --renew-certs "
              + "again");
          return 1;
        }
        Thread.sleep(500);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (IOException e) {
      err.println("linux-patch-api: withdrawing the renewal request failed: " + e.getMessage());
      return 1;
    }
  }

  private int report(EnrollmentOutcome outcome, String done, String noun) {
    if (outcome instanceof EnrollmentOutcome.Installed installed) {
      out.println("linux-patch-api: " + done + ": certificate " + installed.serial() + " valid until "
          + installed.notAfter() + " installed (key generated " + ("agent".equals(installed.keySource())
              ? "on this host" : "by the manager") + "); " + installed.allowList());
      return 0;
    }
    if (outcome instanceof EnrollmentOutcome.Denied denied) {
      err.println("linux-patch-api: " + noun + " denied: " + denied.reason() + "; nothing was changed");
      return 1;
    }
    err.println("linux-patch-api: " + noun + " failed: " + ((EnrollmentOutcome.Failed) outcome).reason());
    return 1;
  }

  private ConfigFile readValid(Path configFile) {
    ConfigFile file = ConfigFile.read(configFile);
    if (!file.valid()) {
      err.println("linux-patch-api: configuration " + configFile + " is invalid:");
      for (ConfigProblem problem : file.problems()) {
        err.println("  " + problem);
      }
      return null;
    }
    return file;
  }

  private static void applyLevel(ConfigFile file, boolean verbose) {
    if (!verbose) {
      LogLevels.apply(file.config().logging().level());
    }
  }

  private static boolean alive(long pid) {
    return pid < 0 || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
