package io.linuxpatch.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A file channel that behaves like a full disk while {@code full} is set: a write stores half of its bytes
 * and then fails with "No space left on device", as write(2) does with ENOSPC after a partial write.
 */
final class FullDiskChannel extends FileChannel {

  private final FileChannel real;
  private final AtomicBoolean full;

  FullDiskChannel(FileChannel real, AtomicBoolean full) {
    this.real = real;
    this.full = full;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    if (full.get()) {
      ByteBuffer half = src.duplicate();
      half.limit(src.position() + src.remaining() / 2);
      real.write(half);
      throw new IOException("No space left on device");
    }
    return real.write(src);
  }

  @Override
  public void force(boolean metaData) throws IOException {
    if (full.get()) {
      throw new IOException("No space left on device");
    }
    real.force(metaData);
  }

  @Override public int read(ByteBuffer dst) throws IOException { return real.read(dst); }
  @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException { return real.read(dsts, offset, length); }
  @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException { throw new UnsupportedOperationException(); }
  @Override public long position() throws IOException { return real.position(); }
  @Override public FileChannel position(long newPosition) throws IOException { real.position(newPosition); return this; }
  @Override public long size() throws IOException { return real.size(); }
  @Override public FileChannel truncate(long size) throws IOException { real.truncate(size); return this; }
  @Override public long transferTo(long position, long count, WritableByteChannel target) throws IOException { return real.transferTo(position, count, target); }
  @Override public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException { throw new UnsupportedOperationException(); }
  @Override public int read(ByteBuffer dst, long position) throws IOException { return real.read(dst, position); }
  @Override public int write(ByteBuffer src, long position) throws IOException { throw new UnsupportedOperationException(); }
  @Override public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException { throw new UnsupportedOperationException(); }
  @Override public FileLock lock(long position, long size, boolean shared) throws IOException { throw new UnsupportedOperationException(); }
  @Override public FileLock tryLock(long position, long size, boolean shared) throws IOException { throw new UnsupportedOperationException(); }
  @Override protected void implCloseChannel() throws IOException { real.close(); }
}
