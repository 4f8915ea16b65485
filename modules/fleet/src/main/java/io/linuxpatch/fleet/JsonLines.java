package io.linuxpatch.fleet;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;

/** Progress as JSON lines ({@code --json}): {@code {"event":"job","host",…,"job":{…}}} and {@code {"event":"result",…}}. */
public final class JsonLines implements ProgressView {

  private final PrintStream out;

  JsonLines(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void job(Host host, JsonObject job) {
    out.println(new JsonObject().put("event", "job").put("host", host.url()).put("job", job).encode());
  }

  @Override
  public synchronized void result(HostResult result) {
    out.println(result.toJson().put("event", "result").encode());
  }
}
