package io.linuxpatch.pki;

import java.io.IOException;

/**
 * A file was read but its content is not the PEM object that was expected; the message says what was
 * found instead, in words an operator can act on.
 */
public final class PemFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public PemFormatException(String message) {
    super(message);
  }

  public PemFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
