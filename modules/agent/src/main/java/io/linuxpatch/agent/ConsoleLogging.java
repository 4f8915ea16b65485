package io.linuxpatch.agent;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * The agent's logging, configured in code (logback's {@link Configurator} service): console only, on
 * stderr — under systemd the journal keeps it; the audit log is a file of its own. Done in code rather than
 * with a {@code logback.xml} because logback's XML configurator loads some 600 classes (an XML parser and
 * Joran) on every start, a tenth of the agent's start-up time and a few MB of metaspace (issue 7).
 *
 * <p>An operator's own configuration still wins: with {@code -Dlogback.configurationFile=FILE}, or a
 * {@code logback-test.xml} on the class path (the tests), this steps aside and logback reads the file.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

  private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";

  private static final Map<String, Level> LEVELS = Map.of(
      "io.linuxpatch", Level.INFO,
      "io.netty", Level.WARN,
      "io.vertx", Level.WARN,
      "oshi", Level.WARN,
      // Clustered mode: Hazelcast warns on every start that its CP subsystem (unused: Vert.x takes locks and
      // counters from plain maps) is off; nothing to act on.
      "com.hazelcast.cp.CPSubsystem", Level.ERROR);

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    return configure(context, ConsoleLogging.class.getClassLoader());
  }

  /** {@link #configure(LoggerContext)} with the class path where a {@code logback-test.xml} is looked for. */
  ExecutionStatus configure(LoggerContext context, ClassLoader classPath) {
    if (System.getProperty("logback.configurationFile") != null || classPath.getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("CONSOLE");
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(console);
    LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
