package io.linuxpatch.fleet;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/** Progress as one plain line per change of a host's job (status, or progress in steps of 10 %), for logs and pipes. */
public final class PlainLines implements ProgressView {

  private final PrintStream out;
  private final Map<Host, String> last = new HashMap<>();

  PlainLines(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void job(Host host, JsonObject job) {
    int progress = job.getInteger("progress", 0);
    String status = job.getString("status", "?");
    String key = status + "/" + progress / 10;
    if (key.equals(last.put(host, key))) {
      return;
    }
    out.println(host + "  " + status + "  " + progress + "%  " + job.getString("message", ""));
  }

  @Override
  public synchronized void result(HostResult result) {
    out.println(result.host() + "  " + result.outcome().label()
        + (result.errorCode() != null ? "  " + result.errorCode() : "")
        + (result.message() != null ? "  " + result.message() : ""));
  }
}
