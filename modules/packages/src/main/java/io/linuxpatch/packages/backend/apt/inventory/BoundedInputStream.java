package io.linuxpatch.packages.backend.apt.inventory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that fails once more than a set number of bytes has come through it: a decompressed index that
 * claims far more than any real one is corrupt or hostile, and must end in an error rather than in a read
 * without end. (Commons IO's class of this name truncates silently by default, and is not a dependency here.)
 */
final class BoundedInputStream extends FilterInputStream {

  private final long max;
  private final String what;
  private long count;

  BoundedInputStream(InputStream in, long max, String what) {
    super(in);
    this.max = max;
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      counted(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      counted(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    counted(skipped);
    return skipped;
  }

  private void counted(long n) throws IOException {
    count += n;
    if (count > max) {
      throw new IOException(what + " exceeds " + max + " bytes");
    }
  }
}
