package io.linuxpatch.packages.backend.pacman.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of a sandbox pacman package: a regular file with its bytes and mode, or a directory the package
 * owns (so that a scriptlet may write into it).
 *
 * @param path      relative path inside the package and the root, e.g. {@code usr/share/doc/x/README}
 * @param content   the file's bytes; empty for a directory
 * @param mode      permission bits, e.g. {@code 0644}
 * @param directory whether this is a directory
 */
public record PackageFile(String path, byte[] content, int mode, boolean directory) {

  /** Plain relative segments; no {@code ..}, no leading {@code /} or {@code .} (pacman's own metadata names). */
  private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_+@-][A-Za-z0-9._+@-]*(/[A-Za-z0-9_+@-][A-Za-z0-9._+@-]*)*");

  public PackageFile {
    if (path == null || !PATH.matcher(path).matches() || path.contains("/../")) {
      throw new IllegalArgumentException("not a plain relative path inside a package: \"" + path + "\"");
    }
    content = Objects.requireNonNull(content, "content").clone();
    if ((mode & ~07777) != 0) {
      throw new IllegalArgumentException("not a permission mode: " + Integer.toOctalString(mode));
    }
    if (directory && content.length > 0) {
      throw new IllegalArgumentException("a directory has no content: " + path);
    }
  }

  /** A UTF-8 text file with mode 0644. */
  public static PackageFile text(String path, String content) {
    return new PackageFile(path, content.getBytes(StandardCharsets.UTF_8), 0644, false);
  }

  /** A file with the given bytes and mode (e.g. 0755 for a program). */
  public static PackageFile bytes(String path, byte[] content, int mode) {
    return new PackageFile(path, content, mode, false);
  }

  /** A directory, mode 0755. */
  public static PackageFile directory(String path) {
    return new PackageFile(path, new byte[0], 0755, true);
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  /** The number of content bytes, without copying them. */
  public int size() {
    return content.length;
  }

  /** The first path segment: what the archive command names. */
  String topLevel() {
    int slash = path.indexOf('/');
    return slash < 0 ? path : path.substring(0, slash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PackageFile f && f.path.equals(path) && f.mode == mode && f.directory == directory
        && Arrays.equals(f.content, content);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }

  @Override
  public String toString() {
    return "PackageFile[" + path + (directory ? "/" : ", " + content.length + " bytes") + ", mode "
        + Integer.toOctalString(mode) + "]";
  }
}
