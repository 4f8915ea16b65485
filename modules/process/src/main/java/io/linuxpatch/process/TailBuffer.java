package io.linuxpatch.process;

import java.nio.charset.StandardCharsets;

/**
 * Keeps the last N bytes written to it in a fixed ring, so a child that prints without end costs at most N
 * bytes of memory. Written by one reader thread, read by the supervisor: hence synchronized.
 */
final class TailBuffer {

  private final byte[] ring;
  private long total;

  TailBuffer(int limit) {
    this.ring = new byte[limit];
  }

  synchronized void append(byte[] data, int offset, int length) {
    int cap = ring.length;
    if (cap > 0) {
      // Only the last `cap` bytes of this chunk can survive, skip the rest up front.
      int skip = Math.max(0, length - cap);
      for (int i = offset + skip; i < offset + length; i++) {
        ring[(int) ((total + i - offset) % cap)] = data[i];
      }
    }
    total += length;
  }

  synchronized CapturedOutput snapshot() {
    int cap = ring.length;
    int kept = (int) Math.min(total, cap);
    byte[] tail = new byte[kept];
    long start = total - kept;
    for (int i = 0; i < kept; i++) {
      tail[i] = ring[(int) ((start + i) % cap)];
    }
    boolean truncated = total > kept;
    int from = 0;
    if (truncated) {
      // The first kept line is a fragment of a dropped line (maybe a split UTF-8 sequence): start after it.
      for (int i = 0; i < kept - 1; i++) {
        if (tail[i] == '\n') {
          from = i + 1;
          break;
        }
      }
    }
    return new CapturedOutput(new String(tail, from, kept - from, StandardCharsets.UTF_8), truncated, total);
  }
}
