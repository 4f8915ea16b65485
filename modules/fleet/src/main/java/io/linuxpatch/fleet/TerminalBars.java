package io.linuxpatch.fleet;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Progress bars on a terminal: one line per host of the current batch, redrawn in place (ANSI cursor-up and
 * erase-line) on every change: {@code https://host:12443  [##########----------]  50%  running  message}.
 */
public final class TerminalBars implements ProgressView {

  private static final int WIDTH = 24;
  private final PrintStream out;
  private final Map<Host, String> lines = new LinkedHashMap<>();
  private int drawn;

  TerminalBars(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void job(Host host, JsonObject job) {
    lines.put(host, line(host, job.getInteger("progress", 0), job.getString("status", "?"),
        job.getString("message", "")));
    redraw();
  }

  @Override
  public synchronized void result(HostResult result) {
    int progress = result.outcome() == Outcome.COMPLETED ? 100 : 0;
    String status = result.outcome().label() + (result.errorCode() != null ? " " + result.errorCode() : "");
    lines.put(result.host(), line(result.host(), progress, status, result.message() == null ? "" : result.message()));
    redraw();
  }

  /**
   * The finished batch's lines stay on the screen as they are and are no longer redrawn, so that the area redrawn is
   * one batch, whatever the size of the fleet (cursor-up cannot reach lines scrolled off the top).
   */
  @Override
  public synchronized void batchDone() {
    lines.clear();
    drawn = 0;
  }

  /** One bar: the filled part is {@code progress} percent of {@link #WIDTH} cells. */
  static String bar(int progress) {
    int filled = Math.max(0, Math.min(WIDTH, progress * WIDTH / 100));
    return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "]";
  }

  private String line(Host host, int progress, String status, String message) {
    String text = String.format("%-28s %s %3d%%  %-12s %s", host, bar(progress), progress, status, message);
    return text.length() > 160 ? text.substring(0, 160) : text;
  }

  private void redraw() {
    StringBuilder frame = new StringBuilder();
    if (drawn > 0) {
      frame.append("\033[").append(drawn).append('A');
    }
    List<String> all = new ArrayList<>(lines.values());
    for (String line : all) {
      frame.append('\r').append("\033[2K").append(line).append('\n');
    }
    drawn = all.size();
    out.print(frame);
    out.flush();
  }
}
