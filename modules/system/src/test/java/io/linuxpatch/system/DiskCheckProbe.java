package io.linuxpatch.system;

/** Prints the disk check of one directory as JSON: run by {@link DiskCheckChrootTest} inside a chroot. */
public final class DiskCheckProbe {

  private DiskCheckProbe() {}

  public static void main(String[] args) {
    System.out.println(DiskCheck.measure(args[0]).toJson().encode());
  }
}
