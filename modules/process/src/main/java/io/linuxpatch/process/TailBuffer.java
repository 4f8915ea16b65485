package io.linuxpatch.process;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keeps the last N bytes written to it in a ring, so a child that prints without end costs at most N bytes of
 * memory. The ring grows with the output up to N (doubling), so a generous limit for a command that may print
 * megabytes (a simulation, {@code rpm -qa}) costs nothing when it prints little. Written by one reader thread, read
 * by the supervisor: hence synchronized.
 */
final class TailBuffer {

  /** What a buffer starts with (or its limit, when smaller). */
  static final int INITIAL_BYTES = 8 * 1024;

  private final int limit;
  private byte[] ring;
  private long total;

  TailBuffer(int limit) {
    this.limit = limit;
    this.ring = new byte[Math.min(limit, INITIAL_BYTES)];
  }

  synchronized void append(byte[] data, int offset, int length) {
    long needed = total + length;
    if (needed > ring.length && ring.length < limit) {
      // Not wrapped yet (total never exceeds a ring smaller than the limit): the bytes sit at [0, total).
      ring = Arrays.copyOf(ring, (int) Math.min(limit, Math.max(needed, 2L * ring.length)));
    }
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
