package io.linuxpatch.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory laid out as the root of another system, for {@code dpkg --root} and {@code rpm --root}: the
 * directories every Debian or RPM system has (so that what is left after a purge can be compared with what was
 * there before), dpkg's empty database, and for rpm, whose scriptlets run chrooted, a shell and the few tools the
 * scriptlets call, with their libraries, and /dev/null.
 */
final class InstallRoot {

  private static final List<String> SKELETON = List.of("etc/systemd/system", "usr/bin", "usr/share/doc",
      "var/cache", "var/lib/systemd", "var/log", "var/tmp");
  private static final List<String> SCRIPTLET_TOOLS = List.of("/usr/bin/cat", "/usr/bin/grep", "/usr/bin/rm");
  private static final Pattern LIBRARY = Pattern.compile("(/\\S+)\\s+\\(0x");

  final Path dir;

  private InstallRoot(Path dir) {
    this.dir = dir;
  }

  /**
   * A root for {@code dpkg --root DIR --force-script-chrootless}: the skeleton, owned by a package installed first
   * (as base-files owns /usr and /var on a real system, so that dpkg does not remove them with the last package
   * that lists them), and nothing else in dpkg's database.
   */
  static InstallRoot forDpkg(Path dir) throws Exception {
    InstallRoot root = skeleton(dir);
    Files.createDirectories(dir.resolve("var/lib/dpkg/info"));
    Files.createDirectories(dir.resolve("var/lib/dpkg/updates"));
    Files.writeString(dir.resolve("var/lib/dpkg/status"), "");
    Path base = Files.createTempDirectory("lpa-sandbox-base-");
    try {
      for (String path : SKELETON) {
        Files.createDirectories(base.resolve("tree").resolve(path));
      }
      Files.createDirectories(base.resolve("tree/DEBIAN"));
      Files.writeString(base.resolve("tree/DEBIAN/control"), """
          Package: sandbox-base-files
          Version: 1
          Architecture: all
          Maintainer: linux-patch-api tests <tests@linux-patch-api.example>
          Description: the directories every system has, for a sandbox root
          """);
      ExternalCommand.run(List.of("dpkg-deb", "--root-owner-group", "-b", base.resolve("tree").toString(),
          base.resolve("base.deb").toString()), Duration.ofSeconds(30)).succeeded();
      ExternalCommand.run(List.of("dpkg", "--root=" + dir, "--log=" + dir.resolve("var/log/dpkg.log"),
          "--force-script-chrootless", "-i", base.resolve("base.deb").toString()), Duration.ofSeconds(60)).succeeded();
    } finally {
      PackageBuild.deleteTree(base);
    }
    return root;
  }

  /** A root for {@code rpm --root DIR}: the skeleton, the rpm database's directory and what scriptlets need. */
  static InstallRoot forRpm(Path dir) throws Exception {
    InstallRoot root = skeleton(dir);
    Files.createDirectories(dir.resolve("var/lib/rpm"));
    root.copyWithLibraries(Path.of("/bin/dash"));
    Files.createSymbolicLink(dir.resolve("bin/sh"), Path.of("dash"));
    for (String tool : SCRIPTLET_TOOLS) {
      root.copyWithLibraries(Path.of(tool));
    }
    Files.createDirectories(dir.resolve("dev"));
    ExternalCommand.run(List.of("mknod", "-m", "666", dir.resolve("dev/null").toString(), "c", "1", "3"),
        Duration.ofSeconds(10)).succeeded();
    return root;
  }

  private static InstallRoot skeleton(Path dir) throws IOException {
    for (String path : SKELETON) {
      Files.createDirectories(dir.resolve(path));
    }
    return new InstallRoot(dir);
  }

  /** {@code binary} at the same path inside the root, with every library ldd names. */
  private void copyWithLibraries(Path binary) throws Exception {
    copyInto(binary, binary);
    Matcher libraries = LIBRARY.matcher(ExternalCommand.run(List.of("ldd", binary.toString()), Duration.ofSeconds(10))
        .succeeded().output());
    while (libraries.find()) {
      Path library = Path.of(libraries.group(1));
      copyInto(library, library);
    }
  }

  private void copyInto(Path source, Path target) throws IOException {
    Path inside = dir.resolve(target.toString().substring(1));
    Files.createDirectories(inside.getParent());
    Files.copy(source, inside, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
  }

  /** {@code path} (absolute, as on the installed system) inside this root. */
  Path resolve(String path) {
    return dir.resolve(path.substring(1));
  }

  /** The mode of {@code path} inside the root, e.g. {@code rwx------}. */
  String mode(String path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(resolve(path), LinkOption.NOFOLLOW_LINKS));
  }

  /** The owner and group of {@code path} inside the root, e.g. {@code root:root}. */
  String owner(String path) throws IOException {
    PosixFileAttributes a = Files.readAttributes(resolve(path), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    return a.owner().getName() + ":" + a.group().getName();
  }

  /**
   * Every entry of the root but those under {@code except} (root-relative prefixes such as the package
   * database): path to type, mode and, for a file, its size; for a link, its target.
   */
  Map<String, String> tree(String... except) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.toList()) {
        String relative = "/" + dir.relativize(path);
        if (Stream.of(except).anyMatch(relative::startsWith)) {
          continue;
        }
        PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String mode = PosixFilePermissions.toString(a.permissions());
        tree.put(relative, a.isSymbolicLink() ? "l -> " + Files.readSymbolicLink(path)
            : a.isDirectory() ? "d " + mode : "f " + mode + " " + a.size());
      }
    }
    return tree;
  }
}
