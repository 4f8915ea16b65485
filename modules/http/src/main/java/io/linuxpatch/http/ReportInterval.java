package io.linuxpatch.http;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * The end of a summary interval, armed by the interval's first event: summaries with nothing to say cost the idle
 * agent no wake-up (issue 16: a periodic report woke every HTTP verticle every second), and one that has something
 * is written one interval after its first event, no later than the periodic report wrote it. One per HTTP
 * verticle, used on its event loop only.
 */
final class ReportInterval {

  private final Vertx vertx;
  private final long millis;
  private final List<Runnable> reports = new ArrayList<>();
  private long timer = -1;

  ReportInterval(Vertx vertx, long millis) {
    this.vertx = vertx;
    this.millis = millis;
  }

  /** What to write when an interval ends. */
  void onEnd(Runnable report) {
    reports.add(report);
  }

  /** Something happened that a report will summarise: starts the interval unless one runs. */
  void event() {
    if (timer < 0) {
      timer = vertx.setTimer(millis, t -> {
        timer = -1;
        reports.forEach(Runnable::run);
      });
    }
  }

  /** Writes what is pending now (the verticle stops). */
  void flush() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
      reports.forEach(Runnable::run);
    }
  }
}
