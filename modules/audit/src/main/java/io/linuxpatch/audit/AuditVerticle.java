package io.linuxpatch.audit;

import io.linuxpatch.audit.seal.AuditSealer;
import io.linuxpatch.audit.seal.Checkpoint;
import io.linuxpatch.audit.seal.SealStore;
import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.LocalCodec;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.config.LoggingConfig;
import io.linuxpatch.contract.config.SealConfig;
import io.linuxpatch.contract.health.HealthCheck;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the audit log: receives records on {@code lpa.audit.record}, writes them through one
 * {@link AuditWriter}, seals checkpoints with a forward-secure key ({@link AuditSealer}, AUD-5), copies records
 * to syslog when {@code logging.syslog} is set ({@link AuditSyslog}), publishes them on {@code lpa.audit.events},
 * exports the synced chain head as the {@code lpa_audit_seq} metric and reports the {@code audit_log} health
 * check. Deploy it once as a worker verticle so that fsync never blocks an event loop and records are written in
 * the order they arrive.
 */
public final class AuditVerticle extends VerticleBase {

  /** AUD-4: buffered records reach the disk at least this often; the health check follows at the same pace. */
  static final long FLUSH_PERIOD_MS = 1_000;
  static final String CHECK = "audit_log";
  /** The sealing files' directory under {@code data_dir}. */
  public static final String SEAL_DIRECTORY = "audit-seal";

  private static final Logger LOG = LoggerFactory.getLogger(AuditVerticle.class);

  private final Function<LoggingConfig, AuditWriter> writers;
  private AuditWriter writer;
  /** AUD-3: the syslog copy, or null when {@code logging.syslog} is off. */
  private AuditSyslog syslog;
  /** AUD-5: null when {@code logging.seal.enabled} is false, or while its state cannot be read. */
  private AuditSealer sealer;
  private SealConfig sealing;
  private SealStore sealStore;
  private String sealFailure;
  private int sinceCheckpoint;
  private long lastCheckpointSeq;
  private boolean failing;
  private String lastFailure;
  /** {@code owed_key}s of records refused that their senders keep and send again (AUD-5). */
  private final Set<String> owed = new LinkedHashSet<>();
  /** The last check published, so that the periodic check republishes only what changed. */
  private HealthCheck published;
  private long flushTimer = -1;
  private long sealTimer = -1;
  /** MET-1: failed writes of the audit log; null when metrics are off. */
  private Counter writeErrors;
  /** AUD-5 anchor: seq of the newest record on disk, read by the {@code lpa_audit_seq} gauge. */
  private final AtomicLong syncedSeq = new AtomicLong();

  /** The production verticle: the file and retention come from the agent config ({@code logging}). */
  public AuditVerticle() {
    this(logging -> new AuditWriter(Path.of(logging.auditPath()), logging.retentionDays(), Clock.systemUTC()));
  }

  /** For tests: a writer with a fake clock or a channel that fails like a full disk. */
  AuditVerticle(Function<LoggingConfig, AuditWriter> writers) {
    this.writers = writers;
  }

  @Override
  public Future<?> start() {
    AgentConfig agent = AgentConfig.parse(config()).config();
    LoggingConfig logging = agent.logging();
    EventBus bus = vertx.eventBus();
    // Before anything that may publish a check (a failed start-up checkpoint does).
    LocalCodec.register(bus, HealthCheck.class);
    writer = writers.apply(logging);
    if (logging.syslog() != null) {
      syslog = AuditSyslog.start(logging.syslog());
      LOG.info("Audit records are also sent to syslog at {}:{} (UDP, facility {})", logging.syslog().host(),
          logging.syslog().port(), logging.syslog().facility());
    }
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry != null) {
      // Registered at start so that the series exists (at 0) before the first failure, for alert rules.
      writeErrors = Counter.builder("lpa_audit_write_errors")
          .description("Audit log writes that failed (disk full, I/O error)").register(registry);
      Gauge.builder("lpa_audit_seq", syncedSeq, AtomicLong::get)
          .description("Sequence number of the newest audit record on disk (fsync): an anchor for "
              + "`audit verify --anchor`, since the log must never end below a value seen here")
          .register(registry);
    }
    sealing = logging.seal();
    if (sealing.enabled()) {
      sealStore = new SealStore(Path.of(agent.dataDir()).resolve(SEAL_DIRECTORY));
      sealAtStart();
      sealTimer = vertx.setPeriodic(sealing.intervalSeconds() * 1000L, id -> seal("interval"));
    }
    List<MessageConsumer<?>> consumers = List.of(
        bus.<JsonObject>localConsumer(Addresses.AUDIT_RECORD, this::record),
        bus.<Object>localConsumer(Addresses.HEALTH_RESYNC, message -> publishHealth()));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .onSuccess(done -> publishHealth());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(flushTimer);
    if (sealTimer >= 0) {
      vertx.cancelTimer(sealTimer);
    }
    if (sealing != null && sealing.enabled()) {
      // The last records of this run are sealed before the log closes (and the checkpoint goes to syslog too).
      seal("stop");
    }
    if (syslog != null) {
      syslog.close();
    }
    try {
      writer.close();
    } catch (IOException e) {
      LOG.error("Buffered audit records could not be written to {} at shutdown: {}", writer.path(), e.toString());
    }
    return Future.succeededFuture();
  }

  /**
   * Flushes buffered records and publishes the check once a flush period after the first record since the last
   * flush: a period with no record costs the idle agent no wake-up (issue 16), and none stays buffered longer.
   */
  private void flushSoon() {
    if (flushTimer < 0) {
      flushTimer = vertx.setTimer(FLUSH_PERIOD_MS, id -> {
        flushTimer = -1;
        flush();
        publishHealthIfChanged();
      });
    }
  }

  private void record(Message<JsonObject> message) {
    flushSoon();
    JsonObject record = message.body() == null ? new JsonObject() : message.body().copy();
    boolean durable = Boolean.TRUE.equals(record.remove("durable"));
    Object owedKey = record.remove("owed_key");
    AuditChain.Sealed sealed;
    try {
      sealed = write(record, durable);
    } catch (IOException e) {
      if (owedKey != null) {
        // Its sender keeps it (durably, beside the job) and sends it again: counted as owed until then.
        owed.add(String.valueOf(owedKey));
      }
      fail(e);
      if (message.replyAddress() != null) {
        ServiceFailure.fail(message, ErrorCode.AUDIT_UNAVAILABLE,
            "the audit log " + writer.path() + " cannot be written: " + e.getMessage());
      }
      return;
    } catch (RuntimeException unencodable) {
      LOG.error("Refused an audit record that cannot be encoded as JSON: {}", unencodable.toString());
      if (message.replyAddress() != null) {
        ServiceFailure.fail(message, ErrorCode.INTERNAL_ERROR, "the audit record cannot be encoded as JSON");
      }
      return;
    }
    if (owedKey != null && owed.remove(String.valueOf(owedKey))) {
      publishHealthIfChanged();
    }
    if (message.replyAddress() != null) {
      message.reply(new JsonObject().put("seq", sealed.next().seq()));
    }
    if (sealer != null && ++sinceCheckpoint >= sealing.maxRecords()) {
      seal("records");
    }
  }

  /** Appends one record and hands it on (syslog, {@code lpa.audit.events}); the caller decides what a failure means. */
  private AuditChain.Sealed write(JsonObject record, boolean durable) throws IOException {
    AuditChain.Sealed sealed = writer.append(record, durable);
    if (durable) {
      // A durable write reached the disk, so the log works again even if a buffered flush failed before.
      recovered();
      syncedSeq.set(writer.syncedSeq());
    }
    if (syslog != null) {
      syslog.send(new String(sealed.line(), StandardCharsets.UTF_8).stripTrailing());
    }
    vertx.eventBus().publish(Addresses.AUDIT_EVENTS, sealed.json());
    return sealed;
  }

  /**
   * AUD-5 at start: loads (or enrols) the sealing key and seals what the previous run left unsealed (after a
   * crash) — or, when the log is new but the key has sealed before, states at once that the log starts over.
   */
  private void sealAtStart() {
    if (sealer() == null) {
      return;
    }
    try {
      AuditChain head = writer.head();
      boolean endsSealed = writer.recordAtOpen().map(Checkpoint::claimed).orElse(false);
      if (head.seq() == 0 && sealer.epoch() > 0) {
        LOG.warn("The audit log {} starts from nothing but its sealing key is at epoch {}: earlier audit files are "
            + "missing; `linux-patch-api audit verify` reports it", writer.path(), sealer.epoch());
      }
      if (!endsSealed && (head.seq() > 0 || sealer.epoch() > 0)) {
        seal("start");
      }
    } catch (IOException e) {
      fail(e);
    }
  }

  /** The sealer, loading it first when needed; null (and the reason kept for /health) when it cannot be. */
  private AuditSealer sealer() {
    if (sealer == null && sealStore != null) {
      try {
        sealer = AuditSealer.start(sealStore, new SecureRandom(), Instant.now());
        sealFailure = null;
      } catch (IOException e) {
        if (!e.toString().equals(sealFailure)) {
          LOG.error("Audit sealing is not working: {}; records are written but not sealed until it is", e.toString());
        }
        sealFailure = e.toString();
      }
    }
    return sealer;
  }

  /** Writes a sealed checkpoint over the current chain head, then steps the key forward (AUD-5). */
  private void seal(String reason) {
    flushSoon();
    AuditSealer current = sealer();
    if (current == null) {
      return;
    }
    Checkpoint checkpoint;
    try {
      AuditChain head = writer.head();
      current.reconcile(writer.recordAtOpen());
      checkpoint = current.next(head.seq(), head.hash(), Instant.now(), reason);
      write(checkpoint.toRecord(), true);
    } catch (IOException e) {
      // Not sealed: the key stays, the next trigger tries again.
      fail(e);
      return;
    }
    sinceCheckpoint = 0;
    lastCheckpointSeq = checkpoint.sealedSeq() + 1;
    current.written(checkpoint);
    sealFailure = current.unsaved();
  }

  private void flush() {
    try {
      // An empty flush proves nothing about the disk; recovery is only declared after a real write.
      if (writer.flush()) {
        recovered();
        syncedSeq.set(writer.syncedSeq());
      }
    } catch (IOException e) {
      fail(e);
    }
  }

  private void fail(IOException e) {
    if (writeErrors != null) {
      writeErrors.increment();
    }
    if (!failing || !e.toString().equals(lastFailure)) {
      LOG.error("Cannot write the audit log {}: {}; mutations are refused with AUDIT_UNAVAILABLE until it can "
          + "be written again (free disk space or fix the path)", writer.path(), e.toString());
    }
    failing = true;
    lastFailure = e.toString();
    publishHealth();
  }

  private void recovered() {
    if (failing) {
      failing = false;
      lastFailure = null;
      LOG.info("The audit log {} can be written again", writer.path());
      publishHealth();
    }
  }

  /** The check as things are now: counts, owed records, sealing. */
  private HealthCheck check() {
    JsonObject details = new JsonObject()
        .put("path", writer.path().toString())
        .put("records_written", writer.recordsWritten())
        .put("last_seq", writer.lastSeq())
        .put("synced_seq", writer.syncedSeq())
        .put("records_owed", owed.size());
    if (sealing != null) {
      JsonObject seal = new JsonObject().put("enabled", sealing.enabled());
      if (sealer != null) {
        seal.put("key_id", sealer.keyId()).put("next_epoch", sealer.epoch())
            .put("last_checkpoint_seq", lastCheckpointSeq == 0 ? null : lastCheckpointSeq);
      }
      if (sealFailure != null) {
        seal.put("error", sealFailure);
      }
      details.put("seal", seal);
    }
    if (failing) {
      return HealthCheck.unhealthy(CHECK, "The audit log cannot be written (" + lastFailure
          + "); mutations are refused until it can" + (owed.isEmpty() ? "" : "; " + owed.size()
          + " record(s) are owed and kept until then"), details.put("error", lastFailure));
    }
    if (!owed.isEmpty()) {
      return HealthCheck.degraded(CHECK, owed.size() + " audit record(s) refused earlier are owed and are being "
          + "written", details);
    }
    if (sealFailure != null) {
      return HealthCheck.degraded(CHECK, "The audit log is written but not sealed: " + sealFailure, details);
    }
    return HealthCheck.healthy(CHECK, "The audit log is being written", details);
  }

  private void publishHealth() {
    published = check();
    vertx.eventBus().publish(Addresses.HEALTH_CHECK, published);
  }

  /** Republishes when the counts or the state changed since the last publication (once a flush period at most). */
  private void publishHealthIfChanged() {
    HealthCheck now = check();
    if (published == null || now.status() != published.status() || !now.details().equals(published.details())) {
      published = now;
      vertx.eventBus().publish(Addresses.HEALTH_CHECK, now);
    }
  }
}
