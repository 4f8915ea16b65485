package io.linuxpatch.audit;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.LocalCodec;
import io.linuxpatch.contract.ServiceFailure;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.config.LoggingConfig;
import io.linuxpatch.contract.health.HealthCheck;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the audit log: receives records on {@code lpa.audit.record}, writes them through one
 * {@link AuditWriter}, copies them to syslog when {@code logging.syslog} is set ({@link AuditSyslog}),
 * publishes them on {@code lpa.audit.events} and reports the {@code audit_log} health check. Deploy it once as a worker verticle so that fsync never blocks an event loop and records
 * are written in the order they arrive.
 */
public final class AuditVerticle extends VerticleBase {

  /** AUD-4: buffered records reach the disk at least this often. */
  static final long FLUSH_PERIOD_MS = 1_000;
  static final String CHECK = "audit_log";

  private static final Logger LOG = LoggerFactory.getLogger(AuditVerticle.class);

  private final Function<LoggingConfig, AuditWriter> writers;
  private AuditWriter writer;
  /** AUD-3: the syslog copy, or null when {@code logging.syslog} is off. */
  private AuditSyslog syslog;
  private boolean failing;
  private String lastFailure;
  private long flushTimer;
  /** MET-1: failed writes of the audit log; null when metrics are off. */
  private io.micrometer.core.instrument.Counter writeErrors;

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
    LoggingConfig logging = AgentConfig.parse(config()).config().logging();
    writer = writers.apply(logging);
    if (logging.syslog() != null) {
      syslog = AuditSyslog.start(logging.syslog());
      LOG.info("Audit records are also sent to syslog at {}:{} (UDP, facility {})", logging.syslog().host(),
          logging.syslog().port(), logging.syslog().facility());
    }
    io.micrometer.core.instrument.MeterRegistry registry = io.vertx.micrometer.backends.BackendRegistries.getDefaultNow();
    if (registry != null) {
      // Registered at start so that the series exists (at 0) before the first failure, for alert rules.
      writeErrors = io.micrometer.core.instrument.Counter.builder("lpa_audit_write_errors")
          .description("Audit log writes that failed (disk full, I/O error)").register(registry);
    }
    EventBus bus = vertx.eventBus();
    LocalCodec.register(bus, HealthCheck.class);
    List<MessageConsumer<?>> consumers = List.of(
        bus.<JsonObject>localConsumer(Addresses.AUDIT_RECORD, this::record),
        bus.<Object>localConsumer(Addresses.HEALTH_RESYNC, message -> publishHealth()));
    flushTimer = vertx.setPeriodic(FLUSH_PERIOD_MS, id -> flush());
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .onSuccess(done -> publishHealth());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(flushTimer);
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

  private void record(Message<JsonObject> message) {
    JsonObject record = message.body() == null ? new JsonObject() : message.body().copy();
    boolean durable = Boolean.TRUE.equals(record.remove("durable"));
    AuditChain.Sealed sealed;
    try {
      sealed = writer.append(record, durable);
    } catch (IOException e) {
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
    if (durable) {
      // A durable write reached the disk, so the log works again even if a buffered flush failed before.
      recovered();
    }
    if (syslog != null) {
      syslog.send(new String(sealed.line(), StandardCharsets.UTF_8).stripTrailing());
    }
    if (message.replyAddress() != null) {
      message.reply(new JsonObject().put("seq", sealed.next().seq()));
    }
    vertx.eventBus().publish(Addresses.AUDIT_EVENTS, sealed.json());
  }

  private void flush() {
    try {
      // An empty flush proves nothing about the disk; recovery is only declared after a real write.
      if (writer.flush()) {
        recovered();
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

  private void publishHealth() {
    JsonObject details = new JsonObject()
        .put("path", writer.path().toString())
        .put("records_written", writer.recordsWritten())
        .put("last_seq", writer.lastSeq());
    HealthCheck check = failing
        ? HealthCheck.unhealthy(CHECK, "The audit log cannot be written (" + lastFailure
            + "); mutations are refused until it can", details.put("error", lastFailure))
        : HealthCheck.healthy(CHECK, "The audit log is being written", details);
    vertx.eventBus().publish(Addresses.HEALTH_CHECK, check);
  }
}
