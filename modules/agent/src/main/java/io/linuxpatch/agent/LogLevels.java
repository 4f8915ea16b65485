package io.linuxpatch.agent;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Applies {@code logging.level} (or {@code --verbose}) to the agent's own loggers. */
public final class LogLevels {

  private LogLevels() {}

  public static void apply(String level) {
    Logger ours = (Logger) LoggerFactory.getLogger("io.linuxpatch");
    ours.setLevel(Level.toLevel(level, Level.INFO));
  }
}
