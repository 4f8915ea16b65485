package io.linuxpatch.packages.backend.apt.sandbox;

import io.linuxpatch.packages.sandbox.SandboxCommandException;

import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns a {@link DebPackage} into a real {@code .deb} with {@code dpkg-deb --build}: a staging directory
 * with {@code DEBIAN/control}, the optional postinst and the package's files, then one dpkg-deb call.
 */
public final class DebBuilder {

  /** dpkg-deb is found here on every Debian and Ubuntu; a fixed path says exactly what runs as root. */
  public static final Path DPKG_DEB = Path.of("/usr/bin/dpkg-deb");

  /**
   * Every timestamp inside the archive is clamped to this instant (dpkg-deb honours SOURCE_DATE_EPOCH), so
   * the same spec always gives the same bytes: a rebuilt demo repository does not invalidate apt's cache.
   */
  static final String SOURCE_DATE_EPOCH = "1704067200";

  private static final Duration TIMEOUT = Duration.ofMinutes(1);
  private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> SCRIPT = PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> DATA = PosixFilePermissions.fromString("rw-r--r--");

  private final ProcessRunner runner;

  public DebBuilder(ProcessRunner runner) {
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  /**
   * Builds {@code pkg} into {@code outputDirectory/<name>_<version>_<arch>.deb}, replacing a file of that name.
   *
   * @return the path of the new package
   * @throws SandboxCommandException when dpkg-deb refuses the package
   */
  public Path build(DebPackage pkg, Path outputDirectory) {
    Objects.requireNonNull(pkg, "pkg");
    try {
      Files.createDirectories(outputDirectory);
      Path staging = Files.createTempDirectory(outputDirectory, ".staging-");
      try {
        stage(pkg, staging);
        Path deb = outputDirectory.resolve(pkg.fileName());
        ProcessSpec spec = ProcessSpec.of(DPKG_DEB.toString(), "--root-owner-group", "-Zgzip", "--build",
                staging.toString(), deb.toString())
            .withExtraEnv(Map.of("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH))
            .withTimeout(TIMEOUT);
        SandboxCommandException.requireSuccess(spec, runner.run(spec));
        return deb;
      } finally {
        deleteTree(staging);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stage " + pkg.fileName() + " in " + outputDirectory, e);
    }
  }

  private static void stage(DebPackage pkg, Path staging) throws IOException {
    // The staging directory becomes the archive's "./" entry and dpkg applies its mode to the sandbox root
    // on install; createTempDirectory made it 0700, which would lock apt's _apt user out of the root.
    Files.setPosixFilePermissions(staging, DIRECTORY);
    Path control = directory(staging.resolve("DEBIAN"));
    write(control.resolve("control"), pkg.controlText(), DATA);
    String postinst = pkg.postinstScript();
    if (postinst != null) {
      write(control.resolve("postinst"), postinst, SCRIPT);
    }
    for (Map.Entry<String, String> file : pkg.files().entrySet()) {
      Path target = staging.resolve(file.getKey());
      // Each intermediate directory gets 0755 explicitly: the process umask must not decide installed modes.
      Path dir = staging;
      for (Path part : staging.relativize(target.getParent())) {
        if (!part.toString().isEmpty()) {
          dir = directory(dir.resolve(part));
        }
      }
      write(target, file.getValue(), DATA);
    }
  }

  private static Path directory(Path dir) throws IOException {
    Files.createDirectories(dir);
    // dpkg-deb rejects a DEBIAN directory outside 0755..0775, and data directories keep this mode when installed.
    Files.setPosixFilePermissions(dir, DIRECTORY);
    return dir;
  }

  private static void write(Path file, String content, Set<PosixFilePermission> mode) throws IOException {
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, mode);
  }

  private static void deleteTree(Path dir) throws IOException {
    // Files.walk does not follow symbolic links, so this removes only what stage() created.
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
