package io.linuxpatch.packages.job;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The job's {@code logs} (JOB-2): the last {@value #MAX_LINES} lines of combined output, so that a chatty run
 * never grows the job record without bound. Written from the two reader threads of a child and from the
 * verticle, hence synchronized.
 */
public final class JobLog {

  public static final int MAX_LINES = 500;
  /** One line of a pathological run must not carry megabytes into the job record. */
  static final int MAX_LINE_CHARS = 4096;

  private final ArrayDeque<String> lines = new ArrayDeque<>();
  private String previous;

  public synchronized void add(String line) {
    String bounded = line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "…" : line;
    // apt repeats its lock-wait line every few seconds; one copy says as much.
    if (bounded.equals(previous)) {
      return;
    }
    previous = bounded;
    lines.addLast(bounded);
    if (lines.size() > MAX_LINES) {
      lines.removeFirst();
    }
  }

  public synchronized List<String> lines() {
    return new ArrayList<>(lines);
  }
}
