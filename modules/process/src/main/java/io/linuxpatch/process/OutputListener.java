package io.linuxpatch.process;

/**
 * Receives a child's output line by line while it runs, e.g. apt's {@code APT::Status-Fd} progress lines.
 *
 * <p>Called from the reader thread of that pipe, never from an event loop: an implementation that talks to
 * Vert.x must hand the line over (e.g. {@code context.runOnContext} or an event-bus send) and return quickly,
 * because while it runs nobody drains the pipe and the child blocks on a full pipe. An exception it throws
 * is logged and the pipe keeps being read.
 */
@FunctionalInterface
public interface OutputListener {

  /** Line without its terminating {@code \n} (and {@code \r}); an over-long line arrives in pieces. */
  void onLine(OutputChannel channel, String line);
}
