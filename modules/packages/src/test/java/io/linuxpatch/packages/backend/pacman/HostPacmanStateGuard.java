package io.linuxpatch.packages.backend.pacman;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class whose sandbox pacman runs touched this machine's own pacman state: every file and
 * directory under {@code /var/lib/pacman} and {@code /var/cache/pacman}, {@code /var/log/pacman.log},
 * {@code /etc/pacman.conf} and {@code /etc/pacman.d} (content hash, size, mtime, or "absent"), captured before
 * the class's {@code @BeforeAll} methods and compared after all of its tests.
 */
public final class HostPacmanStateGuard implements BeforeAllCallback, AfterAllCallback {

  static final String[] WATCHED = {
      "/var/lib/pacman", "/var/cache/pacman", "/var/log/pacman.log", "/etc/pacman.conf", "/etc/pacman.d"};

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(HostPacmanStateGuard.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NAMESPACE).put(context.getRequiredTestClass(), capture());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    @SuppressWarnings("unchecked")
    Map<String, String> before = context.getStore(NAMESPACE).get(context.getRequiredTestClass(), Map.class);
    assertThat(capture()).as("this machine's pacman state after %s", context.getDisplayName()).isEqualTo(before);
  }

  /** path → "sha256 size mtime" for files, "dir mtime" for directories, "absent". */
  public static Map<String, String> capture() {
    Map<String, String> state = new TreeMap<>();
    for (String name : WATCHED) {
      Path top = Path.of(name);
      if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
        state.put(name, "absent");
        continue;
      }
      try (Stream<Path> all = Files.walk(top)) {
        for (Path p : (Iterable<Path>) all::iterator) {
          state.put(p.toString(), fingerprint(p));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return state;
  }

  private static String fingerprint(Path path) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isRegularFile()) {
      return (attributes.isDirectory() ? "dir " : "other ") + attributes.lastModifiedTime().toInstant();
    }
    try {
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)));
      return hash + " " + attributes.size() + " " + attributes.lastModifiedTime().toInstant();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
