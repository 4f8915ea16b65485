package io.linuxpatch.packages.backend.dnf.sandbox;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The rule for sandbox directories that end up inside dnf's INI files, repo {@code baseurl}s and rpm spec
 * files: none of them can carry whitespace, quotes, {@code $} (a dnf variable), {@code %} (an rpm macro),
 * {@code #}/{@code ;} (comments), backslashes or control characters, so such a directory is refused up front
 * with a message that says why.
 */
final class SandboxPaths {

  private static final Pattern UNSAFE = Pattern.compile("[\\s\"'$%#;\\\\`]|\\p{Cntrl}");

  private SandboxPaths() {
  }

  /** Returns {@code path} when it can be written unquoted into dnf.conf, a .repo file and a spec. */
  static Path requirePlain(Path path) {
    if (UNSAFE.matcher(path.toString()).find()) {
      throw new IllegalArgumentException("\"" + path + "\" holds whitespace, a quote, $, %, #, ; or another character "
          + "that dnf's configuration or an rpm spec cannot carry; choose a plainer directory");
    }
    return path;
  }
}
