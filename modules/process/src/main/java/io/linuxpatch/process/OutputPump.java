package io.linuxpatch.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains one pipe of a child until end of file: every byte goes into the bounded tail, every line to the
 * optional listener. It must never stop early, or the child blocks forever on a full pipe.
 */
final class OutputPump implements Runnable {

  /** A line longer than this (a progress bar without newlines, binary junk) reaches the listener in pieces. */
  static final int MAX_LINE_BYTES = 16 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(OutputPump.class);

  private final InputStream in;
  private final OutputChannel channel;
  private final TailBuffer tail;
  private final OutputListener listener;
  private final String label;
  private byte[] line = new byte[256];
  private int lineLength;
  private boolean listenerFailed;

  OutputPump(InputStream in, OutputChannel channel, TailBuffer tail, OutputListener listener, String label) {
    this.in = in;
    this.channel = channel;
    this.tail = tail;
    this.listener = listener;
    this.label = label;
  }

  @Override
  public void run() {
    byte[] buffer = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        tail.append(buffer, 0, n);
        if (listener != null) {
          splitLines(buffer, n);
        }
      }
    } catch (IOException e) {
      // The pipe was closed under us (the child died, the stream was closed on shutdown): what we have is all.
      LOG.debug("{}: reading {} stopped: {}", label, channel, e.toString());
    }
    if (listener != null && lineLength > 0) {
      emit();
    }
  }

  private void splitLines(byte[] buffer, int n) {
    for (int i = 0; i < n; i++) {
      byte b = buffer[i];
      if (b == '\n') {
        emit();
        continue;
      }
      if (lineLength == line.length) {
        if (line.length >= MAX_LINE_BYTES) {
          emit();
        } else {
          line = Arrays.copyOf(line, Math.min(line.length * 2, MAX_LINE_BYTES));
        }
      }
      line[lineLength++] = b;
    }
  }

  private void emit() {
    int length = lineLength;
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    lineLength = 0;
    String text = new String(line, 0, length, StandardCharsets.UTF_8);
    try {
      listener.onLine(channel, text);
    } catch (RuntimeException e) {
      // A broken listener must not stop the draining; say it once, not per line.
      if (!listenerFailed) {
        listenerFailed = true;
        LOG.warn("{}: the {} line listener failed; progress from this run is incomplete, output is still captured",
            label, channel, e);
      }
    }
  }
}
