package io.linuxpatch.agent;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Drops Micrometer's "This Gauge has been already registered (MeterId{name='vertx.…'})" notice, which every agent
 * start logged once (for {@code vertx.eventbus.pending}, before that {@code vertx.pool.queue.pending}).
 *
 * <p>Why it cannot be fixed by registering once: vertx-micrometer-metrics registers its gauges again on every update
 * ({@code LongGaugeBuilder.register} on each event-bus message received, each handler registered, each connection)
 * and keeps the value in a {@code LongAdder} of its own, on purpose (a gauge whose tags the user configures must
 * never count into the wrong adder). Since 1.13.9 Micrometer warns, once per JVM, about any gauge registered twice.
 * Both projects know (vertx-micrometer-metrics#259, micrometer#6931, open). With a single JVM-wide warning, turning
 * off Vert.x' event-bus meters would only move it to the next Vert.x gauge (HTTP connections). The notice says
 * nothing an operator can act on; for a meter that is not Vert.x' own it still shows.
 */
final class VertxGaugeNotice extends TurboFilter {

  static final String LOGGER = "io.micrometer.core.instrument.MeterRegistry";
  private static final String NOTICE = "has been already registered (MeterId{name='vertx.";

  private VertxGaugeNotice() {}

  /** Adds the filter to logback's context once; nothing when slf4j is bound to another backend. */
  static void install() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context
        && context.getTurboFilterList().stream().noneMatch(VertxGaugeNotice.class::isInstance)) {
      VertxGaugeNotice filter = new VertxGaugeNotice();
      filter.setContext(context);
      filter.setName("vertx-gauge-notice");
      filter.start();
      context.addTurboFilter(filter);
    }
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    return format != null && LOGGER.equals(logger.getName()) && format.contains(NOTICE) ? FilterReply.DENY
        : FilterReply.NEUTRAL;
  }
}
