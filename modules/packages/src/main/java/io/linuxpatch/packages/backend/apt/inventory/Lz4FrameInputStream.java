package io.linuxpatch.packages.backend.apt.inventory;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import net.jpountz.xxhash.StreamingXXHash32;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Decodes the LZ4 frame format (lz4 1.9 "Frame format" v1.6.x) as a stream, which is how apt stores
 * {@code *_Packages.lz4} lists under {@code Acquire::GzipIndexes}: at most one block (≤ 4 MiB) and the 64 KiB
 * history a linked block may copy from are held at a time, never the whole index (Debian's main index decodes to
 * about 50 MB, Ubuntu's universe to more; issue 20).
 *
 * <p>Why not lz4-java's {@code LZ4FrameInputStream}: apt (liblz4's defaults) writes <em>linked</em> blocks, whose
 * matches may reach into the previous block, and every lz4-java release up to 1.14.0 refuses such frames
 * ("Dependent block stream is unsupported"); its block decompressors cannot be given the previous block as a
 * prefix either. A match may reach back to the start of its frame (of its block when the frame says its blocks
 * are independent), never further. Checksums (header, and block and content when the frame carries them) are
 * verified with lz4-java's pure-Java XXH32.
 *
 * <p>Every length is checked against the input and against {@code maxBytes}, so a corrupt or hostile file ends
 * in an {@link IOException}, never in an out-of-bounds access or an unbounded allocation.
 */
final class Lz4FrameInputStream extends InputStream {

  private static final int FRAME_MAGIC = 0x184D2204;
  private static final int LEGACY_MAGIC = 0x184C2102;
  /** 0x184D2A50 … 0x184D2A5F: skippable frames, which carry no data for us. */
  private static final int SKIPPABLE_MAGIC = 0x184D2A50;
  private static final int MIN_MATCH = 4;
  /** The farthest back an LZ4 match can reach (its offset is 16 bits). */
  private static final int HISTORY = 64 * 1024;

  /** The safe (pure Java, no Unsafe, no JNI) instances: the agent runs as root and needs no native code here. */
  private static final XXHashFactory XXHASH = XXHashFactory.safeInstance();
  private static final XXHash32 XXH32 = XXHASH.hash32();

  private final InputStream in;
  private final long maxBytes;
  private long produced;
  private long inputOffset;
  private int frames;

  /** History and the block being handed out: {@code [windowStart, outEnd)} may be matched, {@code [readPos, outEnd)} is unread. */
  private byte[] out = new byte[0];
  private int outEnd;
  private int readPos;
  private int windowStart;
  private byte[] block = new byte[0];

  // The frame being read; blockMax == 0 means "between frames".
  private int blockMax;
  private boolean independentBlocks;
  private boolean blockChecksums;
  private boolean contentChecksum;
  private long declaredSize;
  private long frameProduced;
  private StreamingXXHash32 contentHash;
  private boolean finished;

  /**
   * @param in       the compressed bytes (buffered by the caller if it is a file)
   * @param maxBytes the most the content may hold; more is an error rather than memory exhaustion
   */
  Lz4FrameInputStream(InputStream in, long maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (readPos == outEnd) {
      if (!nextBlock()) {
        return -1;
      }
    }
    int n = Math.min(len, outEnd - readPos);
    System.arraycopy(out, readPos, b, off, n);
    readPos += n;
    return n;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Decodes the next block with data into {@link #out}; false at the end of the last frame. */
  private boolean nextBlock() throws IOException {
    while (!finished) {
      if (blockMax == 0 && !startFrame()) {
        finished = true;
        return false;
      }
      int word = intLE("block size");
      if (word == 0) {
        endFrame();
        continue;
      }
      boolean stored = (word & 0x80000000) != 0;
      int size = word & 0x7FFFFFFF;
      if (size > blockMax) {
        throw new IOException("LZ4 block of " + size + " bytes exceeds the frame's maximum of " + blockMax);
      }
      long at = inputOffset;
      readFully(block, size, "block");
      if (blockChecksums && XXH32.hash(block, 0, size, 0) != intLE("block checksum")) {
        throw new IOException("LZ4 block checksum mismatch at byte " + at);
      }
      keepHistory();
      int blockStart = outEnd;
      if (stored) {
        ensureRoom(size);
        System.arraycopy(block, 0, out, outEnd, size);
        outEnd += size;
      } else {
        decodeBlock(size, blockStart + blockMax);
      }
      int n = outEnd - blockStart;
      frameProduced += n;
      if (contentHash != null) {
        contentHash.update(out, blockStart, n);
      }
      if (n > 0) {
        return true;
      }
    }
    return false;
  }

  /** Reads the next frame's header; false at a clean end of input after at least one frame. */
  private boolean startFrame() throws IOException {
    while (true) {
      int first = in.read();
      if (first < 0) {
        if (frames == 0) {
          throw new IOException("not an LZ4 frame: the input is empty");
        }
        return false;
      }
      inputOffset++;
      long at = inputOffset - 1;
      int magic = first | readByte("magic") << 8 | readByte("magic") << 16 | readByte("magic") << 24;
      if ((magic & 0xFFFFFFF0) == SKIPPABLE_MAGIC) {
        long skip = Integer.toUnsignedLong(intLE("skippable frame size"));
        skipFully(skip);
      } else if (magic == FRAME_MAGIC) {
        frames++;
        descriptor();
        return true;
      } else if (magic == LEGACY_MAGIC) {
        throw new IOException("LZ4 legacy format (lz4 -l) is not read; apt writes the frame format");
      } else {
        throw new IOException("not an LZ4 frame at byte " + at + String.format(" (magic 0x%08x)", magic));
      }
    }
  }

  private void descriptor() throws IOException {
    long at = inputOffset;
    byte[] header = new byte[10];
    header[0] = (byte) readByte("frame descriptor");
    header[1] = (byte) readByte("frame descriptor");
    int flg = header[0] & 0xFF;
    int bd = header[1] & 0xFF;
    if (flg >>> 6 != 1) {
      throw new IOException("unsupported LZ4 frame version " + (flg >>> 6));
    }
    if ((flg & 0x02) != 0 || (bd & 0x8F) != 0) {
      throw new IOException("LZ4 frame descriptor has reserved bits set");
    }
    if ((flg & 0x01) != 0) {
      throw new IOException("LZ4 frame needs a dictionary, which an apt index never uses");
    }
    int sizeCode = (bd >>> 4) & 0x07;
    if (sizeCode < 4) {
      throw new IOException("LZ4 frame has an invalid block size code " + sizeCode);
    }
    independentBlocks = (flg & 0x20) != 0;
    blockChecksums = (flg & 0x10) != 0;
    boolean contentSizeGiven = (flg & 0x08) != 0;
    contentChecksum = (flg & 0x04) != 0;
    int length = 2;
    declaredSize = -1;
    if (contentSizeGiven) {
      for (int i = 0; i < 8; i++) {
        header[length++] = (byte) readByte("content size");
      }
      declaredSize = 0;
      for (int i = 7; i >= 0; i--) {
        declaredSize = declaredSize << 8 | (header[2 + i] & 0xFF);
      }
    }
    int headerCheck = readByte("header checksum");
    if (((XXH32.hash(header, 0, length, 0) >>> 8) & 0xFF) != headerCheck) {
      throw new IOException("LZ4 frame header checksum mismatch at byte " + at);
    }
    int newBlockMax = 1 << (8 + 2 * sizeCode); // 4 → 64 KiB … 7 → 4 MiB
    if (block.length < newBlockMax) {
      block = new byte[newBlockMax];
    }
    if (out.length < HISTORY + newBlockMax) {
      byte[] bigger = new byte[HISTORY + newBlockMax];
      System.arraycopy(out, 0, bigger, 0, outEnd);
      out = bigger;
    }
    blockMax = newBlockMax;
    // A match never reaches into an earlier frame.
    windowStart = outEnd;
    frameProduced = 0;
    contentHash = contentChecksum ? XXHASH.newStreamingHash32(0) : null;
  }

  private void endFrame() throws IOException {
    if (contentChecksum && contentHash.getValue() != intLE("content checksum")) {
      throw new IOException("LZ4 content checksum mismatch");
    }
    if (declaredSize >= 0 && declaredSize != frameProduced) {
      throw new IOException("LZ4 frame declares " + declaredSize + " bytes but holds " + frameProduced);
    }
    blockMax = 0;
  }

  /**
   * Moves what the next block may copy from to the front of {@link #out}: the last 64 KiB of this frame's output
   * for linked blocks, nothing for independent ones. Only read bytes are ever dropped.
   */
  private void keepHistory() {
    int keep = independentBlocks ? 0 : Math.min(HISTORY, outEnd - windowStart);
    System.arraycopy(out, outEnd - keep, out, 0, keep);
    outEnd = keep;
    readPos = keep;
    windowStart = 0;
  }

  /** One compressed block of {@code size} bytes in {@link #block} (sequences of literals then a match). */
  private void decodeBlock(int size, int limit) throws IOException {
    byte[] src = block;
    int ip = 0;
    while (true) {
      if (ip >= size) {
        throw new IOException("truncated LZ4 block");
      }
      int token = src[ip++] & 0xFF;
      int literals = token >>> 4;
      if (literals == 15) {
        int b;
        do {
          if (ip >= size) {
            throw new IOException("truncated LZ4 literal length");
          }
          b = src[ip++] & 0xFF;
          literals += b;
        } while (b == 255 && literals <= size - ip);
      }
      if (literals > size - ip || literals > limit - outEnd) {
        throw new IOException("LZ4 literal run overruns its block");
      }
      ensureRoom(literals);
      System.arraycopy(src, ip, out, outEnd, literals);
      outEnd += literals;
      ip += literals;
      if (ip == size) {
        return;
      }
      if (size - ip < 2) {
        throw new IOException("truncated LZ4 match offset");
      }
      int offset = (src[ip] & 0xFF) | (src[ip + 1] & 0xFF) << 8;
      ip += 2;
      int length = token & 0x0F;
      if (length == 15) {
        int b;
        do {
          if (ip >= size) {
            throw new IOException("truncated LZ4 match length");
          }
          b = src[ip++] & 0xFF;
          length += b;
        } while (b == 255 && length <= limit);
      }
      length += MIN_MATCH;
      if (offset == 0 || offset > outEnd - windowStart) {
        throw new IOException("LZ4 match offset " + offset + " reaches outside its window");
      }
      if (length > limit - outEnd) {
        throw new IOException("LZ4 match overruns its block");
      }
      ensureRoom(length);
      // An overlapping match repeats its last `offset` bytes: copy the pattern in doubling runs, each a whole
      // number of periods long (but the last), so every run starts in phase.
      int from = outEnd - offset;
      int done = 0;
      while (done < length) {
        int n = Math.min(length - done, offset + done);
        System.arraycopy(out, from, out, outEnd + done, n);
        done += n;
      }
      outEnd += length;
    }
  }

  private void ensureRoom(int n) throws IOException {
    if (n > maxBytes - produced) {
      throw new IOException("LZ4 content exceeds " + maxBytes + " bytes");
    }
    produced += n;
  }

  private int readByte(String what) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("truncated LZ4 " + what + " at byte " + inputOffset);
    }
    inputOffset++;
    return b;
  }

  private int intLE(String what) throws IOException {
    return readByte(what) | readByte(what) << 8 | readByte(what) << 16 | readByte(what) << 24;
  }

  private void readFully(byte[] into, int n, String what) throws IOException {
    int done = 0;
    while (done < n) {
      int r = in.read(into, done, n - done);
      if (r < 0) {
        throw new EOFException("truncated LZ4 " + what + " at byte " + (inputOffset + done));
      }
      done += r;
    }
    inputOffset += n;
  }

  private void skipFully(long n) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException("truncated skippable LZ4 frame at byte " + inputOffset);
        }
        skipped = 1;
      }
      left -= skipped;
      inputOffset += skipped;
    }
  }
}
