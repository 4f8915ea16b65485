package io.linuxpatch.enrollment;

/** The manager's answer failed a check: nothing was written; the message says which check and why. */
public final class MaterialRejected extends Exception {

  public MaterialRejected(String message) {
    super(message, null, false, false);
  }
}
