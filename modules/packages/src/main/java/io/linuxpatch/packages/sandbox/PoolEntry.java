package io.linuxpatch.packages.sandbox;

/**
 * One package version in a {@link LocalRepository}'s pool and the stanza that lists it in a {@code Packages}
 * index: the control fields as dpkg-deb reads them back from the file, plus where and what the file is.
 *
 * @param name     Package field
 * @param version  Version field
 * @param control  the control stanza from {@code dpkg-deb --field}, without a trailing blank line
 * @param filename path of the .deb relative to the repository root, e.g. {@code pool/main/x_1.0_all.deb}
 * @param digest   size and checksums of the .deb
 */
public record PoolEntry(String name, String version, String control, String filename, FileDigest digest) {

  /** The index stanza, ending with the blank line that separates stanzas. */
  public String stanza() {
    return control.strip() + "\n"
        + "Filename: " + filename + "\n"
        + "Size: " + digest.size() + "\n"
        + "MD5sum: " + digest.md5() + "\n"
        + "SHA256: " + digest.sha256() + "\n"
        + "\n";
  }
}
