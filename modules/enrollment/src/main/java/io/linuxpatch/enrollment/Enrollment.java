package io.linuxpatch.enrollment;

import io.linuxpatch.auth.allowlist.HostResolver;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.pki.PemFiles;
import io.linuxpatch.system.HostPaths;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One enrollment or renewal with the fleet manager, start to finish (ENR): register (a new P-256 key and its CSR)
 * or resume the token a previous run stored, poll for the decision, check the approved material and install it.
 *
 * <ul>
 *   <li>Registration: 202 gives the token (stored 0600 at once); 409 resumes with the token the answer carries, else
 *       it is final (the host is registered under a token this agent no longer has); 429 waits as Retry-After says
 *       (else 60 s); 5xx and network errors back off exponentially with jitter; anything else is final.</li>
 *   <li>Polls: every {@code polling_interval_seconds}, at most {@code max_poll_attempts}; {@code pending} waits,
 *       {@code approved} installs, {@code denied} ends it, HTTP 404 / {@code not_found} registers anew once, 429 ends
 *       this round of polling until Retry-After, 5xx and network errors back off. When the polls run out the token
 *       is kept: the next run resumes it.</li>
 * </ul>
 *
 * <p>Runs on the Vert.x context it is started from; file work, key generation and checks run on workers. The
 * polling token never reaches a log line, an audit record or an outcome text.
 */
public final class Enrollment {

  private static final Logger LOG = LoggerFactory.getLogger(Enrollment.class);

  /** A first enrollment or the renewal of a certificate the agent has. */
  public enum Kind {
    ENROLL("enroll", "enrollment"),
    RENEW("renew", "renewal");

    private final String json;
    private final String noun;

    Kind(String json, String noun) {
      this.json = json;
      this.noun = noun;
    }

    public String json() {
      return json;
    }

    public String noun() {
      return noun;
    }
  }

  /** A registration to send: who the host is, the CSR, the pending state it belongs to. */
  private record Registration(HostIdentity host, String csrPem, PendingEnrollment pending) {}

  /** What was loaded before the first request. */
  private record Prepared(Buffer managerCa, Optional<PendingEnrollment> resumable) {}

  /** Checked material and the allow-list plan, before anything is written. */
  private record Ready(MaterialCheck.Checked material, ManagerAllowList.Plan allowList) {}

  /** What the installation wrote, and what became of the allow-list. */
  private record Done(CertificateInstaller.Installed installed, String allowList) {}

  private final Vertx vertx;
  private final AgentConfig config;
  private final ManagerUrl manager;
  private final Kind kind;
  private final ClientCertificate presented;
  private final String presentedSerial;
  private final RetryPolicy retry;
  private final Duration interval;
  private final int maxAttempts;
  private final EnrollmentStore store;
  private final EnrollmentAudit audit;
  private final HostPaths hostPaths;
  private final HostResolver resolver;

  private ManagerClient client;
  private int registrations;
  private int polls;
  private int failuresInARow;
  private boolean reRegistered;
  private boolean pendingRecorded;
  private boolean resumed;
  private String lastProblem;
  private volatile boolean cancelled;
  private long timer = -1;

  /**
   * @param presented       the current certificate to show the manager (renewal), or null
   * @param presentedSerial its serial in hex, for the audit record, or null
   */
  public Enrollment(Vertx vertx, AgentConfig config, ManagerUrl manager, Kind kind, ClientCertificate presented,
      String presentedSerial, RetryPolicy retry) {
    this(vertx, config, manager, kind, presented, presentedSerial, retry, HostPaths.standard(), HostResolver.SYSTEM);
  }

  /** The same with the host's files and resolver given (tests). */
  public Enrollment(Vertx vertx, AgentConfig config, ManagerUrl manager, Kind kind, ClientCertificate presented,
      String presentedSerial, RetryPolicy retry, HostPaths hostPaths, HostResolver resolver) {
    this.vertx = vertx;
    this.config = config;
    this.manager = manager;
    this.kind = kind;
    this.presented = presented;
    this.presentedSerial = presentedSerial;
    this.retry = retry;
    this.interval = Duration.ofSeconds(config.enrollment().pollingIntervalSeconds());
    this.maxAttempts = config.enrollment().maxPollAttempts();
    this.store = new EnrollmentStore(Path.of(config.dataDir()));
    this.audit = new EnrollmentAudit(vertx, manager, kind.json());
    this.hostPaths = hostPaths;
    this.resolver = resolver;
  }

  /** Runs the enrollment; the future always succeeds, with how it ended. */
  public Future<EnrollmentOutcome> run() {
    return vertx.executeBlocking(this::prepare, false)
        .compose(prepared -> {
          client = ManagerClient.create(vertx, manager, prepared.managerCa(), presented, retry);
          if (prepared.resumable().isPresent()) {
            return resume(prepared.resumable().get());
          }
          return registerNew();
        })
        .recover(failure -> fail(kind.noun() + " could not run: " + message(failure), true))
        .andThen(done -> {
          if (client != null) {
            client.close();
          }
        });
  }

  /** Stops at the next step (the agent is stopping); the outcome is then a retryable failure. */
  public void cancel() {
    cancelled = true;
    vertx.cancelTimer(timer);
    if (client != null) {
      client.close();
    }
  }

  // --- preparation --------------------------------------------------------------------------------------

  private Prepared prepare() throws IOException {
    Buffer ca = null;
    String caPath = config.enrollment().managerCa();
    if (caPath != null) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(Path.of(caPath));
        PemFiles.parseCertificates(bytes);
      } catch (IOException e) {
        throw new IOException("enrollment.manager_ca " + caPath + " cannot be used: " + e.getMessage(), e);
      }
      ca = Buffer.buffer(bytes);
    } else if (manager.tls()) {
      LOG.info("enrollment.manager_ca is not set: the manager's certificate is checked against the JVM's default "
          + "trust store");
    }
    Optional<PendingEnrollment> stored = store.load();
    if (stored.isPresent() && (!stored.get().manager().equals(manager) || stored.get().token() == null)) {
      LOG.info("a stored enrollment for {} is not resumed ({}); registering anew", stored.get().manager(),
          stored.get().token() == null ? "it was never answered" : "another manager");
      store.clear();
      stored = Optional.empty();
    }
    return new Prepared(ca, stored);
  }

  private Future<EnrollmentOutcome> resume(PendingEnrollment pending) {
    resumed = true;
    LOG.info("{} with {}: resuming the registration of {} with its stored polling token", kind.noun(), manager,
        pending.requestedAt().truncatedTo(ChronoUnit.SECONDS));
    return poll(pending, Duration.ZERO);
  }

  // --- registration -------------------------------------------------------------------------------------

  private Future<EnrollmentOutcome> registerNew() {
    return vertx.executeBlocking(() -> {
      HostIdentity host = HostIdentity.detect(hostPaths, manager);
      KeyPair keys = SigningRequest.newKey();
      PendingEnrollment pending = new PendingEnrollment(manager, kind.json(), Instant.now(), keys.getPrivate(), null);
      store.begin(pending);
      return new Registration(host, SigningRequest.pem(keys, host), pending);
    }, false).compose(this::register);
  }

  private Future<EnrollmentOutcome> register(Registration registration) {
    if (cancelled) {
      return stopped();
    }
    if (++registrations > maxAttempts) {
      return fail("the manager " + manager + " did not take the registration in " + maxAttempts + " attempts (last: "
          + lastProblem + ")", true);
    }
    if (registrations == 1) {
      LOG.info("{} with {}: registering {} ({}, {}) with a certificate request for a new P-256 key{}", kind.noun(),
          manager, registration.host().fqdn(), registration.host().ipAddress(), registration.host().machineId(),
          presented == null ? "" : ", presenting the current certificate " + presentedSerial);
    }
    return client.register(registration.host().requestBody(registration.csrPem())).compose(answer -> {
      if (answer instanceof ManagerAnswer.Registered registered) {
        return accepted(registration, registered.token());
      }
      if (answer instanceof ManagerAnswer.AlreadyRegistered already) {
        if (already.token() != null) {
          LOG.info("the manager knows this host already (409) and named its polling token: resuming it");
          return accepted(registration, already.token());
        }
        return fail("the manager says this host is registered already (HTTP 409) and no polling token for it is "
            + "stored in " + store.directory() + "; remove the host's registration on the manager, then enroll "
            + "again", false);
      }
      if (answer instanceof ManagerAnswer.RetryLater later) {
        lastProblem = "HTTP 429";
        LOG.info("the manager asks to register later (429): next attempt in {} s", later.delay().toSeconds());
        return after(later.delay()).compose(v -> register(registration));
      }
      if (answer instanceof ManagerAnswer.Unavailable unavailable) {
        Duration wait = retry.backoff(++failuresInARow, interval);
        lastProblem = unavailable.reason();
        LOG.warn("{}; next attempt in {} ms (attempt {} of {})", unavailable.reason(), wait.toMillis(),
            registrations, maxAttempts);
        return after(wait).compose(v -> register(registration));
      }
      if (answer instanceof ManagerAnswer.Refused refused) {
        return fail(refused.reason(), false);
      }
      return fail("the manager's answer to the registration is not the protocol's (" + answer.getClass()
          .getSimpleName() + ")", true);
    });
  }

  private Future<EnrollmentOutcome> accepted(Registration registration, PollingToken token) {
    failuresInARow = 0;
    PendingEnrollment pending = registration.pending().withToken(token);
    return vertx.executeBlocking(() -> {
      store.saveToken(pending);
      return pending;
    }, false).compose(saved -> {
      audit.requested(registration.host(), presented == null ? null : presentedSerial, reRegistered);
      LOG.info("{} with {}: registered; polling every {} s, at most {} times", kind.noun(), manager,
          interval.toSeconds(), maxAttempts);
      return poll(saved, interval);
    });
  }

  // --- polling ------------------------------------------------------------------------------------------

  private Future<EnrollmentOutcome> poll(PendingEnrollment pending, Duration delay) {
    return after(delay).compose(v -> {
      if (cancelled) {
        return stopped();
      }
      if (++polls > maxAttempts) {
        return fail("the manager " + manager + " gave no decision in " + maxAttempts + " polls; the polling token "
            + "is kept in " + store.directory() + " and the next " + kind.noun() + " resumes it", true);
      }
      return client.status(pending.token()).compose(answer -> polled(pending, answer));
    });
  }

  private Future<EnrollmentOutcome> polled(PendingEnrollment pending, ManagerAnswer answer) {
    if (answer instanceof ManagerAnswer.Pending) {
      failuresInARow = 0;
      if (!pendingRecorded) {
        pendingRecorded = true;
        audit.pending(polls, resumed, pending.requestedAt());
      }
      LOG.info("{} with {}: pending approval (poll {} of {})", kind.noun(), manager, polls, maxAttempts);
      return poll(pending, interval);
    }
    if (answer instanceof ManagerAnswer.Approved approved) {
      LOG.info("{} with {}: approved; checking the certificate before anything is written", kind.noun(), manager);
      return install(pending, approved.material());
    }
    if (answer instanceof ManagerAnswer.Denied denied) {
      String reason = "the manager " + manager + " denied the " + kind.noun()
          + (denied.reason() == null ? "" : " (" + denied.reason() + ")");
      return vertx.executeBlocking(() -> {
        store.clear();
        return null;
      }, false).compose(v -> {
        audit.denied(reason);
        LOG.warn("{}; nothing was changed", reason);
        return Future.succeededFuture(new EnrollmentOutcome.Denied(reason));
      });
    }
    if (answer instanceof ManagerAnswer.Gone) {
      if (reRegistered) {
        return vertx.executeBlocking(() -> {
          store.clear();
          return null;
        }, false).compose(v -> fail("the manager lost this host's registration twice (HTTP 404 / not_found); "
            + "check the manager", false));
      }
      reRegistered = true;
      LOG.warn("the manager no longer knows the polling token (HTTP 404 / not_found): registering again, once");
      return registerNew();
    }
    if (answer instanceof ManagerAnswer.RetryLater later) {
      LOG.info("the manager asks to poll later (429): this round of polling pauses for {} s", later.delay().toSeconds());
      return poll(pending, later.delay());
    }
    if (answer instanceof ManagerAnswer.Unavailable unavailable) {
      Duration wait = retry.backoff(++failuresInARow, interval);
      LOG.warn("{}; next poll in {} ms (poll {} of {})", unavailable.reason(), wait.toMillis(), polls, maxAttempts);
      return poll(pending, wait);
    }
    if (answer instanceof ManagerAnswer.Refused refused) {
      return fail(refused.reason(), false);
    }
    return fail("the manager's status answer is not the protocol's (" + answer.getClass().getSimpleName() + ")",
        true);
  }

  // --- installation -------------------------------------------------------------------------------------

  private Future<EnrollmentOutcome> install(PendingEnrollment pending, ApprovedMaterial material) {
    Instant now = Instant.now();
    CertificateInstaller installer = new CertificateInstaller(config.tls(), store.directory().resolve("staging"),
        config.enrollment().certRenewalThresholdDays());
    ManagerAllowList allowList = new ManagerAllowList(Path.of(config.whitelist().path()), resolver);
    Future<Ready> ready = vertx.executeBlocking(() -> {
      MaterialCheck.Checked checked = MaterialCheck.check(material, pending.key(), now);
      return new Ready(checked, allowList.plan(checked.managerIp(), "fleet manager " + manager + ", added by "
          + kind.noun() + " on " + now.truncatedTo(ChronoUnit.SECONDS)));
    }, false);
    return ready.compose(checked -> audit.approved(checked.material())
            .recover(refused -> Future.failedFuture(new IOException("the audit log refused the approval record ("
                + refused.getMessage() + "); nothing was installed")))
            .compose(v -> vertx.executeBlocking(() -> {
              CertificateInstaller.Installed installed = installer.install(checked.material(), now);
              store.clear();
              String allowListOutcome = checked.allowList().outcome();
              try {
                allowList.apply(checked.allowList());
              } catch (IOException e) {
                allowListOutcome = "allow-list unchanged: writing it failed (" + e.getMessage() + "); add "
                    + checked.allowList().managerIp() + " by hand";
              }
              return new Done(installed, allowListOutcome);
            }, false))
            .compose(done -> {
              CertificateInstaller.Installed installed = done.installed();
              String allowListOutcome = done.allowList();
              MaterialCheck.Checked c = checked.material();
              EnrollmentOutcome.Installed outcome = new EnrollmentOutcome.Installed(c.serialHex(),
                  c.leaf().getNotAfter().toInstant(), c.keySource(), allowListOutcome);
              LOG.info("{} with {}: installed certificate {} ({}), valid until {}, key from the {}; {}{}", kind.noun(),
                  manager, outcome.serial(), c.leaf().getSubjectX500Principal().getName(), outcome.notAfter(),
                  c.keySource(), allowListOutcome, installed.backups().isEmpty() ? ""
                      : "; previous files kept as .bak");
              if ("manager".equals(c.keySource())) {
                LOG.warn("the manager generated this host's private key and sent it over the network (original "
                    + "protocol); a manager that certifies the agent's CSR keeps the key on the host");
              }
              return audit.written(installed, allowListOutcome)
                  .otherwise(e -> {
                    LOG.warn("the certificates_written audit record could not be written: {}", e.getMessage());
                    return null;
                  })
                  .map(v -> (EnrollmentOutcome) outcome);
            }))
        .recover(failure -> {
          if (failure instanceof MaterialRejected rejected) {
            return vertx.executeBlocking(() -> {
              store.clear();
              return null;
            }, false).compose(v -> fail("the manager approved, but its answer was refused: " + rejected.getMessage()
                + "; nothing was changed", false));
          }
          return fail(message(failure), true);
        });
  }

  // --- small pieces -------------------------------------------------------------------------------------

  private Future<Void> after(Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      return Future.succeededFuture();
    }
    Promise<Void> elapsed = Promise.promise();
    timer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> elapsed.tryComplete());
    return elapsed.future();
  }

  private Future<EnrollmentOutcome> stopped() {
    return Future.succeededFuture(new EnrollmentOutcome.Failed(kind.noun() + " stopped: the agent is stopping", true));
  }

  private Future<EnrollmentOutcome> fail(String reason, boolean retryable) {
    if (cancelled) {
      return stopped();
    }
    audit.failed(reason, retryable);
    LOG.warn("{} with {} failed: {}", kind.noun(), manager, reason);
    return Future.succeededFuture(new EnrollmentOutcome.Failed(reason, retryable));
  }

  private static String message(Throwable failure) {
    return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
  }
}
