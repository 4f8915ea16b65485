package io.linuxpatch.packages.inventory;

import java.io.IOException;
import java.util.Arrays;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Decodes a whole file in the LZ4 frame format (lz4 1.9 "Frame format" v1.6.x), which is how apt stores
 * {@code *_Packages.lz4} lists under {@code Acquire::GzipIndexes}.
 *
 * <p>Why not lz4-java's {@code LZ4FrameInputStream}: apt (liblz4's defaults) writes <em>linked</em> blocks,
 * whose matches may reach into the previous block, and every lz4-java release up to 1.14.0 refuses such
 * frames ("Dependent block stream is unsupported" / "Invalid or unsupported frame descriptor"); its block
 * decompressors cannot be given the previous block as a prefix either. Since an index is decoded into one
 * array anyway, linked blocks cost nothing here: a match may reach back to the start of its frame (of its
 * block when the frame says its blocks are independent), never further. Checksums (header, and block and
 * content when the frame carries them) are verified with lz4-java's pure-Java XXH32.
 *
 * <p>Every length is checked against the input and against {@code maxBytes}, so a corrupt or hostile file
 * ends in an {@link IOException}, never in an out-of-bounds access or an unbounded allocation.
 */
final class Lz4FrameDecoder {

  private static final int FRAME_MAGIC = 0x184D2204;
  private static final int LEGACY_MAGIC = 0x184C2102;
  /** 0x184D2A50 … 0x184D2A5F: skippable frames, which carry no data for us. */
  private static final int SKIPPABLE_MAGIC = 0x184D2A50;
  private static final int MIN_MATCH = 4;

  /** The safe (pure Java, no Unsafe, no JNI) instance: the agent runs as root and needs no native code here. */
  private static final XXHash32 XXH32 = XXHashFactory.safeInstance().hash32();

  private Lz4FrameDecoder() {
  }

  /**
   * The concatenated content of every frame in {@code src}.
   *
   * @param maxBytes the most the content may hold; more is an error rather than memory exhaustion
   * @throws IOException when {@code src} is not LZ4 frames, is truncated or corrupt, or decodes to more
   *                     than {@code maxBytes}
   */
  static byte[] decode(byte[] src, int maxBytes) throws IOException {
    if (src.length < 4) {
      throw new IOException("not an LZ4 frame: only " + src.length + " bytes");
    }
    // Indices compress about 3:1; start there and double, capped by maxBytes.
    Output out = new Output((int) Math.min(maxBytes, Math.max(1024L, src.length * 3L)), maxBytes);
    int p = 0;
    while (p < src.length) {
      int magic = intLE(src, p);
      if ((magic & 0xFFFFFFF0) == SKIPPABLE_MAGIC) {
        long skip = Integer.toUnsignedLong(intLE(src, p + 4));
        if (skip > src.length - (p + 8L)) {
          throw new IOException("truncated skippable LZ4 frame at byte " + p);
        }
        p += 8 + (int) skip;
      } else if (magic == FRAME_MAGIC) {
        p = frame(src, p + 4, out);
      } else if (magic == LEGACY_MAGIC) {
        throw new IOException("LZ4 legacy format (lz4 -l) is not read; apt writes the frame format");
      } else {
        throw new IOException("not an LZ4 frame at byte " + p + String.format(" (magic 0x%08x)", magic));
      }
    }
    return out.toArray();
  }

  /** Decodes one frame whose descriptor starts at {@code p}; returns the offset after the frame. */
  private static int frame(byte[] src, int p, Output out) throws IOException {
    int descriptor = p;
    need(src, p, 3, "frame descriptor");
    int flg = src[p++] & 0xFF;
    int bd = src[p++] & 0xFF;
    if (flg >>> 6 != 1) {
      throw new IOException("unsupported LZ4 frame version " + (flg >>> 6));
    }
    if ((flg & 0x02) != 0 || (bd & 0x8F) != 0) {
      throw new IOException("LZ4 frame descriptor has reserved bits set");
    }
    boolean independentBlocks = (flg & 0x20) != 0;
    boolean blockChecksums = (flg & 0x10) != 0;
    boolean contentSizeGiven = (flg & 0x08) != 0;
    boolean contentChecksum = (flg & 0x04) != 0;
    if ((flg & 0x01) != 0) {
      throw new IOException("LZ4 frame needs a dictionary, which an apt index never uses");
    }
    int sizeCode = (bd >>> 4) & 0x07;
    if (sizeCode < 4) {
      throw new IOException("LZ4 frame has an invalid block size code " + sizeCode);
    }
    int blockMax = 1 << (8 + 2 * sizeCode); // 4 → 64 KiB … 7 → 4 MiB
    long declaredSize = -1;
    if (contentSizeGiven) {
      need(src, p, 9, "content size");
      declaredSize = (Integer.toUnsignedLong(intLE(src, p))) | ((long) intLE(src, p + 4) << 32);
      p += 8;
    }
    int headerCheck = src[p] & 0xFF;
    if (((XXH32.hash(src, descriptor, p - descriptor, 0) >>> 8) & 0xFF) != headerCheck) {
      throw new IOException("LZ4 frame header checksum mismatch at byte " + descriptor);
    }
    p++;
    int frameStart = out.size;
    while (true) {
      need(src, p, 4, "block size");
      int word = intLE(src, p);
      p += 4;
      if (word == 0) {
        break; // EndMark
      }
      boolean stored = (word & 0x80000000) != 0;
      int size = word & 0x7FFFFFFF;
      if (size > blockMax) {
        throw new IOException("LZ4 block of " + size + " bytes exceeds the frame's maximum of " + blockMax);
      }
      need(src, p, size + (blockChecksums ? 4 : 0), "block");
      if (blockChecksums && XXH32.hash(src, p, size, 0) != intLE(src, p + size)) {
        throw new IOException("LZ4 block checksum mismatch at byte " + p);
      }
      int blockStart = out.size;
      if (stored) {
        out.append(src, p, size);
      } else {
        block(src, p, p + size, out, independentBlocks ? blockStart : frameStart, blockStart + blockMax);
      }
      p += size + (blockChecksums ? 4 : 0);
    }
    if (contentChecksum) {
      need(src, p, 4, "content checksum");
      if (XXH32.hash(out.buf, frameStart, out.size - frameStart, 0) != intLE(src, p)) {
        throw new IOException("LZ4 content checksum mismatch");
      }
      p += 4;
    }
    if (declaredSize >= 0 && declaredSize != out.size - frameStart) {
      throw new IOException("LZ4 frame declares " + declaredSize + " bytes but holds " + (out.size - frameStart));
    }
    return p;
  }

  /**
   * One compressed block (sequences of literals then a match; the last has literals only).
   *
   * @param window the first output offset a match may copy from
   * @param limit  the output offset the block may not pass (its frame's maximum block size)
   */
  private static void block(byte[] src, int ip, int end, Output out, int window, int limit) throws IOException {
    while (true) {
      if (ip >= end) {
        throw new IOException("truncated LZ4 block");
      }
      int token = src[ip++] & 0xFF;
      int literals = token >>> 4;
      if (literals == 15) {
        int b;
        do {
          if (ip >= end) {
            throw new IOException("truncated LZ4 literal length");
          }
          b = src[ip++] & 0xFF;
          literals += b;
        } while (b == 255 && literals <= end - ip);
      }
      if (literals > end - ip || literals > limit - out.size) {
        throw new IOException("LZ4 literal run overruns its block");
      }
      out.append(src, ip, literals);
      ip += literals;
      if (ip == end) {
        return;
      }
      if (end - ip < 2) {
        throw new IOException("truncated LZ4 match offset");
      }
      int offset = (src[ip] & 0xFF) | (src[ip + 1] & 0xFF) << 8;
      ip += 2;
      int length = token & 0x0F;
      if (length == 15) {
        int b;
        do {
          if (ip >= end) {
            throw new IOException("truncated LZ4 match length");
          }
          b = src[ip++] & 0xFF;
          length += b;
        } while (b == 255 && length <= limit);
      }
      length += MIN_MATCH;
      if (offset == 0 || offset > out.size - window) {
        throw new IOException("LZ4 match offset " + offset + " reaches outside its window");
      }
      if (length > limit - out.size) {
        throw new IOException("LZ4 match overruns its block");
      }
      out.copyMatch(offset, length);
    }
  }

  private static void need(byte[] src, int p, long n, String what) throws IOException {
    if (n > src.length - (long) p) {
      throw new IOException("truncated LZ4 " + what + " at byte " + p);
    }
  }

  private static int intLE(byte[] src, int p) throws IOException {
    need(src, p, 4, "field");
    return (src[p] & 0xFF) | (src[p + 1] & 0xFF) << 8 | (src[p + 2] & 0xFF) << 16 | (src[p + 3] & 0xFF) << 24;
  }

  /** A growing output array that refuses to pass its maximum. */
  private static final class Output {
    byte[] buf;
    int size;
    private final int max;

    Output(int initial, int max) {
      this.buf = new byte[initial];
      this.max = max;
    }

    void append(byte[] src, int from, int n) throws IOException {
      ensure(n);
      System.arraycopy(src, from, buf, size, n);
      size += n;
    }

    /** Copies {@code length} bytes from {@code offset} back; an overlapping copy repeats the pattern, as LZ4 means. */
    void copyMatch(int offset, int length) throws IOException {
      ensure(length);
      int from = size - offset;
      if (offset >= length) {
        System.arraycopy(buf, from, buf, size, length);
      } else {
        for (int i = 0; i < length; i++) {
          buf[size + i] = buf[from + i];
        }
      }
      size += length;
    }

    byte[] toArray() {
      return size == buf.length ? buf : Arrays.copyOf(buf, size);
    }

    private void ensure(int n) throws IOException {
      if (n > max - size) {
        throw new IOException("LZ4 content exceeds " + max + " bytes");
      }
      if (size + n > buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(max, Math.max((long) size + n, buf.length * 2L)));
      }
    }
  }
}
