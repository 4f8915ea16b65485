package io.linuxpatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The agent's logging set up in code: what it sets, and when an operator's or the tests' file wins instead. */
class ConsoleLoggingTest {

  /** A class path with nothing on it: no logback-test.xml (this test's own class path has one). */
  private static final ClassLoader BARE = new URLClassLoader(new URL[0], null);

  /** A logging set-up bound to a context of its own, so that the tests' logging is untouched. */
  private static ConsoleLogging on(LoggerContext context) {
    ConsoleLogging logging = new ConsoleLogging();
    logging.setContext(context);
    return logging;
  }

  @Test
  @DisplayName("without a logback file it logs to stderr: io.linuxpatch at INFO, Vert.x and Netty at WARN, root WARN")
  void configures() {
    LoggerContext context = new LoggerContext();
    ConsoleLogging logging = on(context);
    assertThat(logging.configure(context, BARE)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.WARN);
    assertThat(root.getAppender("CONSOLE")).isInstanceOfSatisfying(ConsoleAppender.class, console -> {
      assertThat(console.getTarget()).isEqualTo("System.err");
      assertThat(console.isStarted()).isTrue();
    });
    assertThat(context.getLogger("io.linuxpatch.http.HttpVerticle").getEffectiveLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("io.vertx.core.impl.ContextImpl").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.netty.handler.ssl.SslHandler").getEffectiveLevel()).isEqualTo(Level.WARN);
  }

  @Test
  @DisplayName("-Dlogback.configurationFile or a logback-test.xml on the class path makes it step aside")
  void stepsAside() {
    LoggerContext context = new LoggerContext();
    ConsoleLogging logging = on(context);
    assertThat(logging.configure(context, ConsoleLoggingTest.class.getClassLoader()))
        .as("logback-test.xml is on this test's class path").isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    String previous = System.getProperty("logback.configurationFile");
    System.setProperty("logback.configurationFile", "/etc/linux-patch-api/logback.xml");
    try {
      assertThat(logging.configure(context, BARE)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    } finally {
      if (previous == null) {
        System.clearProperty("logback.configurationFile");
      } else {
        System.setProperty("logback.configurationFile", previous);
      }
    }
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE")).isNull();
  }
}
