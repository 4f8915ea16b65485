package io.linuxpatch.packages.backend.pacman.job;

import io.linuxpatch.packages.backend.JobOutput;
import io.linuxpatch.packages.job.JobLog;
import io.linuxpatch.process.OutputChannel;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * A running pacman job's output as the job engine reads it: {@link PacmanProgress} turns pacman's step lines into
 * progress and logs every line. pacman has no side channel for errors (apt's status fd), so there is nothing
 * more to report; and it never waits for its lock, so the engine waits instead ({@link PacmanLockWait}) rather
 * than reading a wait from the output.
 */
public final class PacmanJobOutput implements JobOutput {

  private final PacmanProgress progress;

  public PacmanJobOutput(JobLog log, Consumer<JsonObject> progressSink) {
    this.progress = new PacmanProgress(log, progressSink);
  }

  @Override
  public void onLine(OutputChannel channel, String line) {
    progress.onLine(channel, line);
  }

  @Override
  public void flush() {
    progress.flush();
  }

  @Override
  public String reportedErrors() {
    return "";
  }

  /** Whether pacman refused because {@code db.lck} was taken (the engine then waits and tries again). */
  public boolean lockRefused() {
    return progress.lockRefused();
  }

  /** Whether an install scriptlet failed (pacman exits 0 all the same). */
  public boolean scriptletFailed() {
    return progress.scriptletFailed();
  }
}
