package io.linuxpatch.fleet;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.lang.reflect.Method;

/**
 * How a rollout shows its hosts while it runs: progress bars redrawn in place on a terminal ({@link TerminalBars}),
 * plain lines when the output is not a terminal ({@link PlainLines}), JSON lines with {@code --json}
 * ({@link JsonLines}). Calls may come from several event loops; implementations serialise them.
 */
public sealed interface ProgressView permits TerminalBars, PlainLines, JsonLines {

  /** A job of {@code host} changed: its JOB-2 summary (status, progress, message). */
  void job(Host host, JsonObject job);

  /** {@code host} ended without a job to follow, or its job ended: the result. */
  void result(HostResult result);

  /** A batch has ended: its hosts will not change again. */
  default void batchDone() {
  }

  /** The view that fits {@code out}: JSON lines when asked, bars on a terminal, else plain lines. */
  static ProgressView choose(PrintStream out, boolean json, boolean terminal) {
    if (json) {
      return new JsonLines(out);
    }
    return terminal ? new TerminalBars(out) : new PlainLines(out);
  }

  /**
   * Whether standard output is a terminal. Java 17 to 21 answer with {@code System.console()} (null unless stdin and
   * stdout are terminals); from Java 22 a console may exist without a terminal, and {@code Console.isTerminal()}
   * says.
   */
  static boolean stdoutIsTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = java.io.Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException olderJava) {
      return true;
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }
}
