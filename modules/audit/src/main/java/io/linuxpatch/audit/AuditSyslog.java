package io.linuxpatch.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.net.SyslogAppender;
import io.linuxpatch.contract.config.SyslogConfig;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;

/**
 * AUD-3's syslog copy: every audit record line, as written to the file, is logged on the dedicated logger
 * {@value #LOGGER}, which sends it through a logback {@link SyslogAppender} (UDP, RFC 3164, severity INFO,
 * tag {@code linux-patch-api}) set up here from {@code logging.syslog}. The logger does not pass records on to
 * the agent's console log, and {@code logging.level} does not silence it.
 */
final class AuditSyslog implements AutoCloseable {

  /** The logger the audit records go to; an operator's logback.xml can attach more appenders to it. */
  static final String LOGGER = "io.linuxpatch.audit.records";
  private static final String APPENDER = "AUDIT_SYSLOG";

  private final Logger logger;
  private final SyslogAppender appender;

  private AuditSyslog(Logger logger, SyslogAppender appender) {
    this.logger = logger;
    this.appender = appender;
  }

  /** Starts the appender; a host that cannot be resolved is reported by logback and sends nothing. */
  static AuditSyslog start(SyslogConfig config) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    SyslogAppender appender = new SyslogAppender();
    appender.setContext(context);
    appender.setName(APPENDER);
    appender.setSyslogHost(config.host());
    appender.setPort(config.port());
    appender.setFacility(config.facility());
    appender.setCharset(StandardCharsets.UTF_8);
    appender.setSuffixPattern("linux-patch-api: %msg");
    appender.start();
    Logger logger = context.getLogger(LOGGER);
    logger.setAdditive(false);
    logger.setLevel(Level.INFO);
    logger.addAppender(appender);
    return new AuditSyslog(logger, appender);
  }

  /** Sends one record line (without its line end). */
  void send(String line) {
    logger.info("{}", line);
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
