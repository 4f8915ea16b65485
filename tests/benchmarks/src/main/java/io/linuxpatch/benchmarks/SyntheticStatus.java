package io.linuxpatch.benchmarks;

/** A dpkg status file of N installed packages shaped like a real server's (dependencies, long descriptions). */
final class SyntheticStatus {

  private SyntheticStatus() {}

  static String packages(int count) {
    return packages(count, true);
  }

  /**
   * The same packages depending only on each other, so that dpkg and apt find the database consistent
   * when the stanzas are added to a real (sandbox) root.
   */
  static String selfContained(int count) {
    return packages(count, false);
  }

  private static String packages(int count, boolean externalDependencies) {
    StringBuilder out = new StringBuilder(count * 700);
    for (int i = 0; i < count; i++) {
      out.append("Package: pkg-").append(i).append('\n')
          .append("Status: install ok installed\n")
          .append("Priority: optional\n")
          .append("Section: libs\n")
          .append("Installed-Size: ").append(100 + i % 5000).append('\n')
          .append("Maintainer: Debian Maintainers <maint@example.org>\n")
          .append("Architecture: amd64\n")
          .append("Multi-Arch: same\n")
          .append("Source: src-").append(i / 3).append(" (").append(i % 7).append(".2-1)\n")
          .append("Version: ").append(i % 7).append(".2.").append(i % 13).append("-1+deb12u").append(i % 3).append('\n')
          .append(externalDependencies
              ? "Depends: libc6 (>= 2.34), pkg-" + (i + 1) % count + " (>= 1.0) | pkg-alt-" + i + ", libssl3 (>= 3.0.0)\n"
              : "Depends: pkg-" + (i + 1) % count + " (>= 0.1) | pkg-alt-" + i + "\n")
          .append("Description: synthetic package number ").append(i).append('\n')
          .append(" This is the long description of a synthetic package, written so that the\n")
          .append(" status file has the size of a real one.\n")
          .append(" .\n")
          .append(" It spans a few lines like most Debian packages do.\n")
          .append("Homepage: https://example.org/pkg-").append(i).append('\n')
          .append('\n');
    }
    return out.toString();
  }
}
